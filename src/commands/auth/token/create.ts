import { Command, Option } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../../cli/define.js';
import * as parse from '../../../cli/parse.js';
import { createToken, TOKEN_MAX_TTL_MS } from '../../../domain/auth.js';
import { isoTime, item, type CommandResult } from '../../../output/types.js';

const TOKEN_FIELDS = ['id', 'name', 'token', 'createdAt', 'expiresAt'] as const;

export interface CreateOptions {
  name: string;
  expires: string;
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, UserDeps> = createRun) {
  return f.userCommand(
    new Command('create')
      .description('create an API token; it is printed once')
      .requiredOption('--name <name>', 'what the token is for')
      .addOption(new Option('--expires <duration>', 'lifetime, 1m to 366d').default('90d')),
    { fields: TOKEN_FIELDS, options: (flags) => ({ name: flags.name, expires: flags.expires }), run },
  );
}

export async function createRun(opts: CreateOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const ttlMs = parse.duration(opts.expires, '--expires', {
    min: 60_000,
    max: TOKEN_MAX_TTL_MS,
    describe: 'between 1 minute and 366 days',
  });
  const created = await createToken(await rt.authDeps(), principal, { name: opts.name, ttlMs });
  const row = { ...created, createdAt: isoTime(created.createdAt), expiresAt: isoTime(created.expiresAt) };
  return item({
    item: row,
    fields: TOKEN_FIELDS,
    details: [
      { label: 'id', value: (t) => String(t.id) },
      { label: 'name', value: (t) => t.name },
      { label: 'expires', value: (t) => t.expiresAt ?? '' },
      { label: 'token', value: (t) => t.token, tone: () => 'strong' },
    ],
    id: (t) => t.token,
    primary: (t) => t.token,
    message: 'Copy the token now: it is shown only this once. Use it as TKT_TOKEN=<token>.',
  });
}
