import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { formatSize, parseSize, setAttachmentQuota } from '../../domain/attachments.js';
import { usageError } from '../../errors.js';
import { message, type CommandResult } from '../../output/types.js';

export interface SetOptions {
  /** A size (2GiB, 500MiB, bytes) or "default". */
  attachmentQuota?: string;
}

export function newCmdSet(f: Factory, run: Run<SetOptions, OrgDeps> = setRun) {
  return f.orgCommand(
    new Command('set')
      .description("change the organization's settings")
      .option('--attachment-quota <size>', 'how much attachment content the org may store (2GiB, 500MiB; "default" for 1 GiB)'),
    { requirement: 'org:update', fields: ['org', 'attachmentQuota', 'attachmentBytes'], options: (flags) => flags, run },
  );
}

export async function setRun(opts: SetOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  if (opts.attachmentQuota === undefined) throw usageError('nothing to change', 'pass --attachment-quota SIZE');
  const quota = opts.attachmentQuota.trim().toLowerCase() === 'default' ? null : parseSize(opts.attachmentQuota, '--attachment-quota');
  const usage = await setAttachmentQuota(tenant, quota);
  const { slug } = tenant.ctx.org;
  return message(`The attachment quota of ${slug} is ${formatSize(usage.effectiveQuota)} (${formatSize(usage.usedBytes)} used).`, {
    org: slug,
    attachmentQuota: usage.effectiveQuota,
    attachmentBytes: usage.usedBytes,
  });
}
