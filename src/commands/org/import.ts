import fs from 'node:fs';
import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { importOrgArchive } from '../../domain/archive.js';
import { usageError } from '../../errors.js';
import { fileLines } from '../../lib/lines.js';
import { quoted } from '../../lib/text.js';
import { list, type CommandResult } from '../../output/types.js';

export interface ImportOptions {
  file: string;
  slug?: string;
  key?: string;
  name?: string;
}

const FIELDS = ['org', 'email', 'role', 'token', 'invite'] as const;

export function newCmdImport(f: Factory, run: Run<ImportOptions, UserDeps> = importRun) {
  return f.userCommand(
    new Command('import')
      .description('recreate an organization from an archive (tkt org export): you become its owner, the other members are invited back')
      .argument('<file>', 'the archive')
      .option('--slug <slug>', "the new organization's slug (default: the archived one)")
      .option('--key <KEY>', 'its ticket key (default: the archived one)')
      .option('--name <name>', 'its name (default: the archived one)'),
    { fields: FIELDS, options: (file, flags) => ({ file, ...flags }), run },
  );
}

/** Prints one line per member invited back, with the token to hand them (shown once). */
export async function importRun(opts: ImportOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const file = path.resolve(rt.cwd, opts.file);
  if (!isFile(file)) throw usageError(`cannot read ${quoted(opts.file)}: no such file`);
  const done = await importOrgArchive(await rt.store(), principal, () => fileLines(file), opts, rt.clock.now());
  return list({
    items: done.invites.map((i) => ({ org: done.slug, email: i.email, role: i.role, token: i.token, invite: i.id })),
    fields: FIELDS,
    columns: [
      { header: 'EMAIL', value: (i) => i.email, email: true },
      { header: 'ROLE', value: (i) => i.role },
      { header: 'TOKEN', value: (i) => i.token },
    ],
    id: (i) => i.token,
    message:
      `Imported ${done.from} as ${done.slug} (tickets ${done.key}-…): ${done.tickets} tickets, ${done.attachments} attachments, ${done.events} events. ` +
      `You are its owner; ${done.invites.length} members are invited back (tkt invite accept TOKEN). tkt org switch ${done.slug} to work in it.`,
  });
}

function isFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
