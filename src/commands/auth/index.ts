import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdLogin } from './login.js';
import { newCmdLogout } from './logout.js';
import { newCmdSignup } from './signup.js';
import { newCmdStatus } from './status.js';
import { newCmdToken } from './token/index.js';

export function newCmdAuth(f: Factory) {
  return new Command('auth')
    .description('sign up, log in and out, API tokens')
    .addCommand(newCmdSignup(f))
    .addCommand(newCmdLogin(f))
    .addCommand(newCmdLogout(f))
    .addCommand(newCmdStatus(f))
    .addCommand(newCmdToken(f));
}
