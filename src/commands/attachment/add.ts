import fs from 'node:fs';
import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { addAttachments, formatSize } from '../../domain/attachments.js';
import { usageError } from '../../errors.js';
import { list, type CommandResult } from '../../output/types.js';
import type { NewAttachment } from '../../store/ports/attachments.js';
import { ATTACHMENT_COLUMNS, ATTACHMENT_FIELDS, attachmentJson, measure, spoolStdin } from './shared.js';

export interface AddOptions {
  key: string;
  files: string[];
  /** The name of stdin's content (required with -), or of the one file given. */
  name?: string;
}

/** The files as measured, and what to remove afterwards (stdin's copy). */
export interface AddInput {
  files: NewAttachment[];
  cleanup: () => void;
}

export function newCmdAdd(f: Factory, run: Run<AddOptions, OrgDeps, AddInput> = addRun) {
  return f.orgCommand(
    new Command('add')
      .description('attach files to a ticket (at most 25 MiB each; - reads stdin, named by --name)')
      .argument('<key>', 'the ticket (ACME-42, 42 or #42)')
      .argument('<files...>', 'files to attach, or - for stdin')
      .option('--name <name>', 'the name to store (required with -; with one file, instead of its own name)'),
    {
      requirement: 'ticket:comment',
      fields: ATTACHMENT_FIELDS,
      options: (key, files, flags) => ({ key, files, ...flags }),
      input: addInput,
      run,
    },
  );
}

export async function addInput(opts: AddOptions, source: InputSource): Promise<AddInput> {
  if (opts.name !== undefined && opts.files.length > 1) throw usageError('--name names one file; attach several files under their own names');
  if (opts.files.filter((f) => f === '-').length > 1) throw usageError('stdin (-) can be attached once');
  const dirs: string[] = [];
  const cleanup = () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const files: NewAttachment[] = [];
    for (const file of opts.files) {
      if (file === '-') {
        if (opts.name === undefined) throw usageError('--name is required when attaching stdin (-)');
        const spooled = await spoolStdin(source.io.stdin);
        dirs.push(spooled.dir);
        files.push(await measure(spooled.file, opts.name));
      } else {
        files.push(await measure(path.resolve(source.cwd, file), opts.name ?? path.basename(file)));
      }
    }
    return { files, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

export async function addRun(opts: AddOptions, { tenant }: OrgDeps, input: AddInput): Promise<CommandResult> {
  try {
    const { ticket, attachments } = await addAttachments(tenant, opts.key, input.files);
    const items = attachments.map(attachmentJson);
    const what = items.length === 1 ? `${items[0]!.name} (#${items[0]!.id}, ${formatSize(items[0]!.size)})` : `${items.length} files`;
    return list({
      items,
      fields: ATTACHMENT_FIELDS,
      columns: ATTACHMENT_COLUMNS,
      id: (a) => String(a.id),
      message: `Attached ${what} to ${ticket.key}.`,
      summary: true,
    });
  } finally {
    input.cleanup();
  }
}
