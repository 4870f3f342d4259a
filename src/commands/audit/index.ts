import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdList } from './list.js';

export function newCmdAudit(f: Factory) {
  return new Command('audit').description("the organization's audit log").addCommand(newCmdList(f));
}
