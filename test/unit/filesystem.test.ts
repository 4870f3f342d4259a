// Network filesystems: which mount holds a store, which types are refused, and what
// TKT_ALLOW_NETWORK_FS=1 changes. No test can mount NFS, so the type is faked behind
// filesystemTypeOf(); the real probe is checked against the test's own temp folder, a local disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TktError } from '../../src/errors.js';
import {
  fakeFilesystemType,
  filesystemTypeOf,
  isNetworkFilesystem,
  mountTypeFromMountinfo,
} from '../../src/store/sqlite/filesystem.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { runInProcess } from '../support/inprocess.js';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-fs-')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

const MOUNTINFO = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '40 27 0:50 / /srv rw - xfs /dev/vdb rw',
  '41 40 0:51 / /srv/team rw,relatime shared:5 - nfs4 fileserver:/export/team rw,vers=4.2',
  '42 40 0:52 / /srv/team\\040two rw - cifs //nas/two rw',
  '43 27 0:53 / /home/alice/remote rw,nosuid - fuse.sshfs alice@host:/ rw',
  '44 41 0:54 / /srv/team rw - ext4 /dev/vdc rw',
].join('\n');

describe('which mount holds a folder', () => {
  it('is the longest mount point that contains it, the last one when several share a point', () => {
    expect(mountTypeFromMountinfo(MOUNTINFO, '/srv/team')).toBe('ext4'); // 44 hides 41
    expect(mountTypeFromMountinfo(MOUNTINFO.split('\n').slice(0, 5).join('\n'), '/srv/team/db')).toBe('nfs4');
    expect(mountTypeFromMountinfo(MOUNTINFO, '/srv/teamwork')).toBe('xfs'); // not inside /srv/team
    expect(mountTypeFromMountinfo(MOUNTINFO, '/srv/team two/x')).toBe('cifs'); // \040 is a space
    expect(mountTypeFromMountinfo(MOUNTINFO, '/home/alice/remote/tkt')).toBe('fuse.sshfs');
    expect(mountTypeFromMountinfo(MOUNTINFO, '/home/bob')).toBe('ext4');
    expect(mountTypeFromMountinfo('garbage\n\n', '/x')).toBeUndefined();
  });

  it('network, cluster and remote FUSE filesystems are network; local disks and local FUSE are not', () => {
    for (const t of ['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', '9p', 'ceph', 'glusterfs', 'afs', 'fuse.sshfs', 'fuse.s3fs', 'fuse.rclone', 'vboxsf']) {
      expect(isNetworkFilesystem(t), t).toBe(true);
    }
    for (const t of ['ext4', 'xfs', 'btrfs', 'zfs', 'tmpfs', 'overlay', 'fuseblk', 'fuse.gocryptfs', 'fuse.fuse-overlayfs']) {
      expect(isNetworkFilesystem(t), t).toBe(false);
    }
  });

  it.runIf(process.platform === 'linux')('finds the real type of the test\'s temp folder: a local disk, accepted with WAL', () => {
    const type = filesystemTypeOf(dir);
    expect(type).toMatch(/^\w[\w.-]*$/);
    expect(isNetworkFilesystem(type!)).toBe(false);
    const store = openSqliteStore({ path: path.join(dir, 'local.db') });
    try {
      expect(store.conn.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      store.close();
    }
  });
});

describe('a store on a network filesystem', () => {
  it('is refused with exit 7, pointing to a local disk, and nothing is created', async () => {
    const seen: string[] = [];
    restore = fakeFilesystemType((d) => {
      seen.push(d);
      return 'nfs4';
    });
    const file = path.join(dir, 'new', 'team.db');
    let error: unknown;
    try {
      openSqliteStore({ path: file }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TktError);
    expect((error as TktError).exitCode).toBe(7);
    expect((error as TktError).message).toContain('network filesystem (nfs4');
    expect((error as TktError).hint).toContain('a local disk');
    expect((error as TktError).hint).toContain('TKT_ALLOW_NETWORK_FS=1');
    // The folder asked about is the nearest one that exists.
    expect(seen).toEqual([dir]);
    expect(fs.existsSync(path.dirname(file))).toBe(false);

    const r = await runInProcess(['db', 'init'], { TKT_DB: file, TKT_CONFIG_DIR: path.join(dir, 'config') });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^tkt: the store .*team\.db is on a network filesystem \(nfs4 at /);
    expect(r.stderr).toContain('a server store is planned');
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('with TKT_ALLOW_NETWORK_FS=1 opens with a rollback journal, also a store that was in WAL mode', async () => {
    const file = path.join(dir, 'was-wal.db');
    openSqliteStore({ path: file }).close(); // made on the "local disk": WAL
    restore = fakeFilesystemType(() => 'fuse.sshfs');
    const env = { TKT_DB: file, TKT_CONFIG_DIR: path.join(dir, 'config'), TKT_ALLOW_NETWORK_FS: '1' };
    const status = await runInProcess(['db', 'status', '--json', 'sqlite'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ sqlite: { journalMode: 'delete' } });
    expect(fs.existsSync(`${file}-wal`)).toBe(false);

    const created = path.join(dir, 'net-new.db');
    const init = await runInProcess(['db', 'init'], { ...env, TKT_DB: created });
    expect(init.code, init.stderr).toBe(0);
    const s2 = await runInProcess(['db', 'status', '--json', 'sqlite'], { ...env, TKT_DB: created });
    expect(s2.json()).toMatchObject({ sqlite: { journalMode: 'delete' } });

    // Without the variable, the same store is refused again.
    const refused = await runInProcess(['db', 'status'], { ...env, TKT_ALLOW_NETWORK_FS: undefined });
    expect(refused.code).toBe(7);
    // Back on a local disk, it returns to WAL.
    restore();
    restore = undefined;
    const local = await runInProcess(['db', 'status', '--json', 'sqlite'], { ...env, TKT_ALLOW_NETWORK_FS: undefined });
    expect(local.json()).toMatchObject({ sqlite: { journalMode: 'wal' } });
  });
});
