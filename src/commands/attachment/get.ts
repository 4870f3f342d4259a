import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { formatSize, openAttachment, safeBaseName } from '../../domain/attachments.js';
import { conflict, usageError } from '../../errors.js';
import { item, type CommandResult } from '../../output/types.js';
import type { AttachmentRecord } from '../../store/ports/attachments.js';
import { attachmentJson } from './shared.js';

export interface GetOptions {
  key: string;
  attachment: string;
  /** A path (written exactly there; a folder: the safe name inside it), or - for stdout. */
  output?: string;
  clobber?: true;
}

const GET_FIELDS = ['id', 'ticket', 'name', 'size', 'type', 'sha256', 'uploader', 'createdAt', 'path'] as const;

export function newCmdGet(f: Factory, run: Run<GetOptions, OrgDeps> = getRun) {
  return f.orgCommand(
    new Command('get')
      .alias('download')
      .description('save an attachment into the current folder under a safe name (-o PATH exactly there, -o - to stdout)')
      .argument('<key>', 'the ticket (ACME-42, 42 or #42)')
      .argument('<attachment>', 'its name (the newest of that name) or id')
      .option('-o, --output <path>', 'where to write it: a file, a folder, or - for stdout')
      .option('--clobber', 'overwrite a file that exists'),
    { requirement: 'ticket:read', fields: GET_FIELDS, options: (key, attachment, flags) => ({ key, attachment, ...flags }), run },
  );
}

export async function getRun(opts: GetOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const { attachment, content } = await openAttachment(tenant, opts.key, opts.attachment);
  if (opts.output === '-') {
    const hash = createHash('sha256');
    for await (const chunk of content) {
      hash.update(chunk);
      rt.io.stdout.write(chunk);
    }
    assertIntact(attachment, hash.digest('hex'));
    return;
  }
  const target = destination(rt.cwd, opts.output, attachment);
  if (!opts.clobber && fs.existsSync(target)) throw exists(target);
  // Written next to the target under a private name, then moved into place: a reader never sees
  // half a file, and a failure leaves nothing behind.
  const partial = path.join(path.dirname(target), `.tkt-partial-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = fs.openSync(partial, 'wx', 0o666);
  } catch (err) {
    throw usageError(`cannot write into ${path.dirname(target)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const hash = createHash('sha256');
    for await (const chunk of content) {
      hash.update(chunk);
      for (let at = 0; at < chunk.length; ) at += fs.writeSync(fd, chunk, at);
    }
    fs.closeSync(fd);
    fd = -1;
    assertIntact(attachment, hash.digest('hex'));
    place(partial, target, opts.clobber === true);
  } finally {
    if (fd !== -1) fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
  }
  const shown = path.relative(rt.cwd, target) || target;
  return item({
    item: { ...attachmentJson(attachment), path: target },
    fields: GET_FIELDS,
    details: [
      { label: 'saved', value: (a) => a.path },
      { label: 'size', value: (a) => formatSize(a.size) },
    ],
    id: (a) => a.path,
    primary: (a) => a.path,
    message: `Saved ${attachment.name} (#${attachment.id}, ${formatSize(attachment.size)}) to ${shown.startsWith('..') ? target : shown}.`,
    summary: true,
  });
}

/** -o PATH: exactly there (a folder: the safe name inside it); without -o: the safe name in the current folder. */
function destination(cwd: string, output: string | undefined, a: AttachmentRecord): string {
  if (output === undefined) return path.join(cwd, safeBaseName(a.name, a.id));
  const given = path.resolve(cwd, output);
  const isDir = output.endsWith('/') || (fs.existsSync(given) && fs.statSync(given).isDirectory());
  return isDir ? path.join(given, safeBaseName(a.name, a.id)) : given;
}

/** Without --clobber a hard link, which fails when the name exists (no race with another writer). */
function place(partial: string, target: string, clobber: boolean): void {
  if (clobber) {
    fs.renameSync(partial, target);
    return;
  }
  try {
    fs.linkSync(partial, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw exists(target);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    if (fs.existsSync(target)) throw exists(target);
    fs.renameSync(partial, target);
  }
}

function exists(target: string) {
  return conflict(`${target} exists; nothing was written`, 'pass --clobber to overwrite it, or -o PATH to write elsewhere');
}

function assertIntact(a: AttachmentRecord, sha256: string): void {
  if (sha256 !== a.sha256) throw conflict(`the stored content of ${a.name} (#${a.id}) does not match its SHA-256`, 'run tkt db check');
}
