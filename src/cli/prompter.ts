// Every question tkt asks goes through this interface. The real one loads @inquirer/prompts only
// when a question is actually asked; without a terminal, or with --no-input, asking is a usage
// error that names the flag to pass instead.
import { usageError } from '../errors.js';

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

export interface Prompter {
  readonly interactive: boolean;
  password(message: string, flag: string): Promise<string>;
  input(message: string, flag: string): Promise<string>;
  select(message: string, choices: Choice[], flag: string): Promise<string>;
  confirm(message: string, flag: string): Promise<boolean>;
}

function refuse(flag: string): never {
  throw usageError(`a value is needed and prompting is off (--no-input or no terminal)`, `pass ${flag}`);
}

export function createPrompter(interactive: boolean): Prompter {
  if (!interactive) {
    return {
      interactive,
      password: async (_m, flag) => refuse(flag),
      input: async (_m, flag) => refuse(flag),
      select: async (_m, _c, flag) => refuse(flag),
      confirm: async (_m, flag) => refuse(flag),
    };
  }
  const prompts = () => import('@inquirer/prompts');
  return {
    interactive,
    password: async (message) => (await prompts()).password({ message, mask: true }),
    input: async (message) => (await prompts()).input({ message }),
    select: async (message, choices) => (await prompts()).select({ message, choices }),
    confirm: async (message) => (await prompts()).confirm({ message, default: false }),
  };
}
