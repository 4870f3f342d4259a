import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { exportOrgArchive } from '../../domain/archive.js';
import { conflict, usageError } from '../../errors.js';
import { quoted } from '../../lib/text.js';
import { message, type CommandResult } from '../../output/types.js';

export interface ExportOptions {
  out?: string;
  clobber?: true;
}

export function newCmdExport(f: Factory, run: Run<ExportOptions, OrgDeps> = exportRun) {
  return f.orgCommand(
    new Command('export')
      .description('write everything of the organization (roles, members, tickets, comments, history, attachments) to one archive file')
      .option('--out <file>', 'the archive to write, e.g. acme.tkt')
      .option('--clobber', 'overwrite a file that exists'),
    { requirement: 'org:update', fields: ['org', 'file', 'bytes', 'tickets', 'attachments', 'events'], options: (flags) => flags, run },
  );
}

export async function exportRun(opts: ExportOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  if (opts.out === undefined) throw usageError('--out is required', 'tkt org export --out acme.tkt');
  const target = path.resolve(rt.cwd, opts.out);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw usageError(`${quoted(opts.out)} is a folder`, 'name the archive file, e.g. --out acme.tkt');
  if (!opts.clobber && fs.existsSync(target)) throw conflict(`${quoted(opts.out)} exists; nothing was written`, 'pass --clobber to overwrite it');
  // Written beside the target under a private name and moved into place when complete.
  const partial = path.join(path.dirname(target), `.tkt-partial-${randomBytes(6).toString('hex')}`);
  const fd = writable(() => fs.openSync(partial, 'wx', 0o600), opts.out);
  let bytes = 0;
  try {
    const counts = await exportOrgArchive(
      tenant,
      (line) => {
        const buf = Buffer.from(line, 'utf8');
        for (let at = 0; at < buf.length; ) at += fs.writeSync(fd, buf, at);
        bytes += buf.length;
      },
      rt.clock.now(),
    );
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    writable(() => {
      if (opts.clobber) fs.renameSync(partial, target);
      else fs.linkSync(partial, target);
    }, opts.out);
    const { slug } = tenant.ctx.org;
    return message(`Exported ${slug} to ${opts.out}: ${counts.tickets} tickets, ${counts.attachments} attachments, ${counts.events} events (${bytes} bytes).`, {
      org: slug,
      file: target,
      bytes,
      tickets: counts.tickets,
      attachments: counts.attachments,
      events: counts.events,
    });
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
    fs.rmSync(partial, { force: true });
  }
}

/** A file-system failure writing the archive is the person's to fix (a folder that is not there, a name too long): exit 2. */
function writable<T>(fn: () => T, out: string): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw conflict(`${quoted(out)} exists; nothing was written`, 'pass --clobber to overwrite it');
    if (typeof code === 'string') throw usageError(`cannot write ${quoted(out)} (${code})`);
    throw err;
  }
}
