import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdLogin } from './login.js';
import { newCmdLogout } from './logout.js';
import { newCmdPassword } from './password.js';
import { newCmdSession } from './session/index.js';
import { newCmdSignup } from './signup.js';
import { newCmdStatus } from './status.js';
import { newCmdToken } from './token/index.js';

export function newCmdAuth(f: Factory) {
  return new Command('auth')
    .description('sign up, log in and out, sessions, password, API tokens')
    .addCommand(newCmdSignup(f))
    .addCommand(newCmdLogin(f))
    .addCommand(newCmdLogout(f))
    .addCommand(newCmdStatus(f))
    .addCommand(newCmdPassword(f))
    .addCommand(newCmdSession(f))
    .addCommand(newCmdToken(f));
}
