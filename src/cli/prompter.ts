// Every question tkt asks goes through this interface. The real one loads @inquirer/prompts only
// when a question is actually asked, and asks on the terminal through stderr, so that stdout carries
// only data (`K=$(tkt ticket create)`, `tkt ticket delete 5 > out.txt`). Without a terminal, or
// with --no-input, asking is a usage error that names the flag to pass instead.
import { isTktError, usageError } from '../errors.js';

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

/** How one typed answer is checked. */
export interface Ask {
  /**
   * An error text for a wrong answer, shown under the question, which is then asked again;
   * undefined for a good one. The same check the command applies to the flag's value.
   */
  validate?: (answer: string) => string | undefined;
}

/** An answer checked by the domain's own rule for the flag: its refusal's message is shown, and asked again. */
export function checkedBy(rule: (answer: string) => unknown): Ask {
  return {
    validate: (answer) => {
      try {
        rule(answer);
        return undefined;
      } catch (err) {
        if (isTktError(err)) return err.message;
        throw err;
      }
    },
  };
}

export interface Prompter {
  readonly interactive: boolean;
  password(message: string, flag: string, ask?: Ask): Promise<string>;
  input(message: string, flag: string, ask?: Ask): Promise<string>;
  /** `initial`: the value the cursor starts on. */
  select(message: string, choices: Choice[], flag: string, initial?: string): Promise<string>;
  confirm(message: string, flag: string): Promise<boolean>;
}

/** Where questions are asked and answered: the terminal, through stdin and stderr. */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

function refuse(flag: string): never {
  throw usageError(`a value is needed and prompting is off (--no-input or no terminal)`, `pass ${flag}`);
}

export function createPrompter(interactive: boolean, streams?: PromptStreams): Prompter {
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
  const context = () => streams ?? { input: process.stdin, output: process.stderr };
  const check = (ask: Ask | undefined) => (ask?.validate ? { validate: (answer: string) => ask.validate!(answer) ?? true } : {});
  return {
    interactive,
    password: async (message, _flag, ask) => (await prompts()).password({ message, mask: true, ...check(ask) }, context()),
    input: async (message, _flag, ask) => (await prompts()).input({ message, ...check(ask) }, context()),
    select: async (message, choices, _flag, initial) =>
      (await prompts()).select({ message, choices, ...(initial !== undefined ? { default: initial } : {}) }, context()),
    confirm: async (message) => (await prompts()).confirm({ message, default: false }, context()),
  };
}
