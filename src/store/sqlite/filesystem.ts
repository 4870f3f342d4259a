// Which filesystem a store lives on. WAL needs shared memory between the processes that open the
// store (the -shm file, mapped into each of them), which a network filesystem does not give
// across machines, and SQLite's own documentation says WAL must not be used there
// (https://www.sqlite.org/wal.html, "WAL does not work over a network filesystem"). So a store on
// one is refused unless TKT_ALLOW_NETWORK_FS=1, which opens it with a rollback journal instead.
import fs from 'node:fs';
import path from 'node:path';
import { storeError } from '../../errors.js';

/**
 * Filesystem types (as /proc/self/mountinfo names them) whose files other machines can reach, or
 * whose locking and shared memory are known not to hold for SQLite: network, cluster and
 * virtual-machine shared folders, and FUSE filesystems that reach over a network.
 */
const NETWORK_TYPES = new Set([
  'nfs', 'nfs4', 'cifs', 'smb', 'smb2', 'smb3', 'smbfs', 'ncpfs', 'ncp', 'afs', 'coda', '9p',
  'ceph', 'glusterfs', 'lustre', 'gpfs', 'ocfs2', 'gfs2', 'beegfs', 'orangefs', 'davfs', 'vboxsf',
  'vmhgfs', 'prl_fs',
  'fuse.sshfs', 'fuse.s3fs', 'fuse.rclone', 'fuse.gcsfuse', 'fuse.goofys', 'fuse.juicefs',
  'fuse.glusterfs', 'fuse.ceph-fuse', 'fuse.cephfs', 'fuse.davfs2', 'fuse.curlftpfs',
  'fuse.smbnetfs', 'fuse.blobfuse', 'fuse.blobfuse2', 'fuse.vmhgfs-fuse', 'fuse.mountpoint-s3',
  'fuse.objectivefs', 'fuse.lizardfs', 'fuse.moosefs', 'fuse.mfs',
]);

export function isNetworkFilesystem(type: string): boolean {
  return NETWORK_TYPES.has(type) || type.startsWith('nfs') || type.startsWith('smb');
}

/** `\040` and friends: how mountinfo writes a space, tab, newline or backslash in a path. */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * The type of the mount that holds `dir` (an absolute, resolved path), from the text of a
 * /proc/<pid>/mountinfo file: the mount whose mount point is the longest prefix of `dir`; of
 * several on the same point, the last one, which hides the others.
 */
export function mountTypeFromMountinfo(mountinfo: string, dir: string): string | undefined {
  let best: { point: string; type: string } | undefined;
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0 || !fields[4] || !fields[separator + 1]) continue;
    const point = unescapeMountPath(fields[4]);
    const inside = point === '/' || dir === point || dir.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (inside && (!best || point.length >= best.point.length)) best = { point, type: fields[separator + 1]! };
  }
  return best?.type;
}

function probeMountinfo(dir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined; // not Linux: not detected (see README)
  }
  return mountTypeFromMountinfo(text, dir);
}

let probe: (dir: string) => string | undefined = probeMountinfo;

/** The filesystem type of the folder `dir` (e.g. "ext4", "nfs4", "fuse.sshfs"); undefined when unknown. */
export function filesystemTypeOf(dir: string): string | undefined {
  return probe(dir);
}

/**
 * Tests only: answer filesystemTypeOf() with `fake` (no test can mount an NFS share). Returns
 * the function that puts the real probe back.
 */
export function fakeFilesystemType(fake: (dir: string) => string | undefined): () => void {
  probe = fake;
  return () => {
    probe = probeMountinfo;
  };
}

/** The nearest folder of `file` that exists, resolved (a new store's folders may not exist yet). */
function existingFolderOf(file: string): string {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    try {
      return fs.realpathSync(dir);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return dir;
      dir = parent;
    }
  }
}

export type JournalMode = 'wal' | 'delete';

/**
 * The journal mode for a store file: WAL on a local disk; on a network filesystem, exit 7 unless
 * `allowNetwork` (TKT_ALLOW_NETWORK_FS=1), and then a rollback journal.
 */
export function journalModeFor(file: string, allowNetwork: boolean): JournalMode {
  const folder = existingFolderOf(file);
  const type = filesystemTypeOf(folder);
  if (type === undefined || !isNetworkFilesystem(type)) return 'wal';
  if (allowNetwork) return 'delete';
  throw storeError(
    `the store ${file} is on a network filesystem (${type} at ${folder}): SQLite's WAL mode needs shared memory that a network filesystem does not provide, and can corrupt the store there`,
    'put the store on a local disk (a server store is planned); or, if this filesystem\'s locks work, set TKT_ALLOW_NETWORK_FS=1 to use a rollback journal (see README: shared store)',
  );
}
