// Who may open a store file, and how a shared one is set up. The file's permissions are the
// security boundary (SECURITY.md): a personal store is 0600 in a 0700 folder; a shared store is
// 0660, owned by the group of its folder, in a folder of mode 2770 (setgid, so that the -wal and
// -shm files SQLite creates beside the store get that group too, whoever creates them; SQLite
// gives them the store's mode). This module creates stores that way and explains, with the
// file's mode, owner and group, why someone cannot open one.
import fs from 'node:fs';
import path from 'node:path';
import { storeError, type TktError } from '../../errors.js';
import { groupNameOf, userNameOf } from '../../lib/unix-names.js';

const SETGID = 0o2000;
const SHARED_MODE = 0o660;
const SIDE_FILES = ['-wal', '-shm'];
const SEE = '(see README: shared store)';

export const userName = (uid: number) => userNameOf(uid) ?? String(uid);
export const groupName = (gid: number) => groupNameOf(gid) ?? String(gid);

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** "mode 0600, owner alice, group team" */
export function describeFile(st: fs.Stats): string {
  return `mode ${octal(st.mode)}, owner ${userName(st.uid)}, group ${groupName(st.gid)}`;
}

export interface FileFacts {
  mode: string;
  owner: string;
  group: string;
}

export function fileFacts(file: string): FileFacts | undefined {
  try {
    const st = fs.statSync(file);
    return { mode: octal(st.mode), owner: userName(st.uid), group: groupName(st.gid) };
  } catch {
    return undefined;
  }
}

/** A path as it would be typed in a shell command. */
function sh(p: string): string {
  return /^[\w./@%+=:,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

const isRoot = () => process.geteuid?.() === 0;
const inGroup = (gid: number) => process.getegid?.() === gid || (process.getgroups?.() ?? []).includes(gid);

/** Whether this user may access the file; a file that is gone by now is no refusal (undefined). */
function can(file: string, mode: number): boolean | undefined {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : false;
  }
}

// ---- opening ----

/**
 * Before SQLite opens `file`: when the user cannot enter one of its folders, cannot read the
 * file, or can write the store but not the -wal or -shm file beside it, exit 7 with the mode,
 * owner and group of what is in the way and the command that fixes it. SQLite itself would only
 * say "unable to open database file". Returns the file's stat (undefined when it does not exist).
 */
export function checkStoreAccess(file: string): fs.Stats | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw folderDenied(file);
    return undefined;
  }
  if (!st.isFile()) return st;
  if (can(file, fs.constants.R_OK) === false) throw fileDenied(file, file, st);
  if (can(file, fs.constants.W_OK)) {
    for (const suffix of SIDE_FILES) {
      const side = file + suffix;
      let sideStat: fs.Stats;
      try {
        sideStat = fs.statSync(side);
      } catch {
        continue;
      }
      // SQLite deletes the -wal and -shm when the last connection closes: one may vanish meanwhile.
      if (can(side, fs.constants.R_OK | fs.constants.W_OK) === false) throw fileDenied(file, side, sideStat);
    }
  }
  return st;
}

function fileDenied(store: string, file: string, st: fs.Stats): TktError {
  const fix = inGroup(st.gid)
    ? `for a shared store its owner runs \`chmod 660 ${sh(file)}\``
    : `for a shared store its owner runs \`chgrp TEAM ${sh(file)} && chmod 660 ${sh(file)}\` with the team's group, and you are a member of it (you are not in ${groupName(st.gid)})`;
  const side = file === store ? '' : `; the folder needs the setgid bit so that such files get its group: \`chmod g+s ${sh(path.dirname(file))}\``;
  return storeError(`cannot open ${file}: permission denied (${describeFile(st)})`, `${fix}${side} ${SEE}`);
}

/** The first folder on the way to `file` that the user may not enter. */
function folderDenied(file: string): TktError {
  const parts = path.resolve(file).split(path.sep);
  let dir = '/';
  for (const part of parts.slice(1, -1)) {
    dir = path.join(dir, part);
    if (!can(dir, fs.constants.X_OK)) {
      let facts = '';
      let gid: number | undefined;
      try {
        const st = fs.statSync(dir);
        facts = ` (${describeFile(st)})`;
        gid = st.gid;
      } catch {
        // its own folder hides it: the message names it without details
      }
      const fix = gid !== undefined && inGroup(gid)
        ? `for a shared store its owner runs \`chmod 2770 ${sh(dir)}\``
        : `for a shared store its owner runs \`chgrp TEAM ${sh(dir)} && chmod 2770 ${sh(dir)}\` with the team's group, and you are a member of it`;
      return storeError(`cannot open ${file}: permission denied on its folder ${dir}${facts}`, `${fix} ${SEE}`);
    }
  }
  return storeError(`cannot open ${file}: permission denied`, `check the permissions of its folders ${SEE}`);
}

/** A warning (one line) when users outside the store's group may read or write it; else undefined. */
export function exposureWarning(file: string, st: fs.Stats): string | undefined {
  const other = st.mode & 0o006;
  if (!other) return undefined;
  const what = other === 0o006 ? 'read and write' : other & 0o004 ? 'read' : 'write';
  return `every user of this machine can ${what} the store ${file} (${describeFile(st)}), and with it every organization's data; run \`chmod o-rwx ${sh(file)}\``;
}

// ---- creating ----

export interface PrepareOptions {
  /** `db init --shared`: 0660, the folder's group; an existing store is made so. */
  shared?: boolean;
  /**
   * Whether a missing store may be created (auth signup, db init, db migrate, demo). Without it, a
   * missing file is exit 7 and nothing (no file, no folder) is created.
   */
  create?: boolean;
}

/** A missing store, for a command that does not create one. */
export function noStoreError(file: string): TktError {
  return storeError(
    `no tkt store at ${file}`,
    'create one with `tkt db init` (or `tkt auth signup`), or check --db / TKT_DB / .tkt.json',
  );
}

/**
 * The path is a symbolic link to nothing: creating "the store" would create the link's target,
 * wherever it points (another folder, another user's), with whatever mode the open gives it.
 */
function danglingLink(file: string): TktError | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isSymbolicLink()) return undefined;
  let target = '?';
  try {
    target = fs.readlinkSync(file);
  } catch {
    // gone meanwhile: named without its target
  }
  return storeError(
    `the store path ${file} is a symbolic link to ${target}, which does not exist; tkt does not create a store through a link`,
    `remove the link, or create the store where it points: \`tkt --db ${sh(path.resolve(path.dirname(file), target))} db init\``,
  );
}

/**
 * Creates the store file: O_EXCL so that two processes creating it at once do not clobber each
 * other, O_NOFOLLOW so that a link put in its place is not followed; then the mode is checked on
 * the open file itself (a filesystem that ignores modes would leave every organization's data
 * readable). Returns false when the file appeared meanwhile (another process created it).
 */
function createStoreFile(file: string, mode: number): boolean {
  const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDWR } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDWR, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      // O_EXCL also refuses a link, dangling or not: only a real file counts as "created meanwhile".
      const link = danglingLink(file);
      if (link) throw link;
      return false;
    }
    throw storeError(`cannot create the store at ${file}: ${(err as Error).message}`);
  }
  try {
    // The umask (often 022) would take the group's write bit away.
    fs.fchmodSync(fd, mode);
    const st = fs.fstatSync(fd);
    if (!st.isFile() || (st.mode & 0o777) !== mode) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw storeError(
        `cannot create the store at ${file} with mode ${octal(mode)}: the file got ${describeFile(st)}`,
        'put the store on a filesystem that keeps Unix permissions',
      );
    }
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed above
    }
    throw err;
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Makes sure the store file exists before SQLite opens it: a personal store is created 0600 (its
 * folders 0700); a shared one 0660 in a folder that checkSharedFolder() accepts. `existing` is
 * the file's stat when it exists (checkStoreAccess). Returns whether this call created the file.
 */
export function prepareStoreFile(file: string, options: PrepareOptions = {}, existing?: fs.Stats): boolean {
  if (!existing) {
    const link = danglingLink(file);
    if (link) throw link;
    if (options.create === false) throw noStoreError(file);
  }
  const folder = path.dirname(file);
  const folderStat = options.shared ? checkSharedFolder(folder) : undefined;
  let created = false;
  if (!existing) {
    if (!folderStat) {
      try {
        fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw storeError(`cannot create the store at ${file}: ${(err as Error).message}`);
      }
    }
    created = createStoreFile(file, folderStat ? SHARED_MODE : 0o600);
  }
  if (folderStat && !created) shareExisting(file, folderStat);
  const st = existing && !folderStat ? existing : fs.statSync(file);
  if (st.isFile()) letSideFilesInherit(st.mode);
  return created;
}

/**
 * SQLite creates the -wal and -shm files with the store's mode, but through the umask first and a
 * chmod after: in between (0640 under the usual umask 022), another member's process that opens
 * them is refused and fails with SQLITE_READONLY. Measured: two users opening and writing one
 * store in a loop for 8 s, about one open in five failed under umask 022, none under 002. So while
 * this process has a group-shared store open, its umask lets the store's group bits through.
 * Only the config is written besides, with explicit modes (0600, 0700).
 */
function letSideFilesInherit(mode: number): void {
  const group = mode & 0o060;
  if (!group) return;
  try {
    const current = process.umask(0o077);
    process.umask(current & ~group);
  } catch {
    // a worker thread cannot change the umask (tests only)
  }
}

/**
 * A folder fit for a shared store, or exit 7 saying how to fix it: it exists; its group may
 * enter it and create files in it (any member may be the one whose command creates the -wal);
 * users outside the group may not write it (they could put their own file in place of the store
 * or its -wal); and new files get the folder's group: the setgid bit, or else the user's primary
 * group is the folder's.
 */
export function checkSharedFolder(folder: string): fs.Stats {
  const recipe = `mkdir ${sh(folder)} && chgrp TEAM ${sh(folder)} && chmod 2770 ${sh(folder)}`;
  let st: fs.Stats;
  try {
    st = fs.statSync(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw storeError(`the folder ${folder} does not exist`, `create it for the team first: \`${recipe}\`, with the team's group ${SEE}`);
    }
    throw storeError(`cannot use the folder ${folder}: ${(err as Error).message}`, SEE);
  }
  if (!st.isDirectory()) throw storeError(`${folder} is not a folder`, SEE);
  const refuse = (why: string, fix: string) =>
    storeError(`refusing to create a shared store in ${folder} (${describeFile(st)}): ${why}`, `${fix} ${SEE}`);
  if (st.mode & 0o002) {
    throw refuse('every user of this machine may write in it, and could replace the store or its -wal file', `use a folder only the team can write: \`chmod o-w ${sh(folder)}\`, or \`${recipe}\``);
  }
  if ((st.mode & 0o070) !== 0o070) {
    throw refuse(`its group ${groupName(st.gid)} cannot enter it and create files in it`, `its owner runs \`chmod 2770 ${sh(folder)}\``);
  }
  if (!(st.mode & SETGID) && process.getegid?.() !== st.gid) {
    const mine = groupName(process.getegid?.() ?? -1);
    throw refuse(
      `it has no setgid bit and your primary group (${mine}) is not its group (${groupName(st.gid)}), so the -wal and -shm files SQLite creates beside the store would get the group ${mine} and the others could not use them`,
      `its owner runs \`chmod g+s ${sh(folder)}\``,
    );
  }
  return st;
}

/** `db init --shared` on a store that exists: give it (and its -wal and -shm) 0660 and the folder's group. */
function shareExisting(file: string, folder: fs.Stats): void {
  for (const f of [file, ...SIDE_FILES.map((s) => file + s)]) {
    let st: fs.Stats;
    try {
      st = fs.statSync(f);
    } catch {
      continue;
    }
    if ((st.mode & 0o777) === SHARED_MODE && st.gid === folder.gid) continue;
    if (!isRoot() && st.uid !== process.geteuid?.()) {
      throw storeError(
        `${f} is not set up as a shared store (${describeFile(st)}), and only its owner can change that`,
        `its owner runs \`tkt --db ${sh(file)} db init --shared\`, or \`chgrp ${groupName(folder.gid)} ${sh(f)} && chmod 660 ${sh(f)}\` ${SEE}`,
      );
    }
    try {
      if (st.gid !== folder.gid) fs.chownSync(f, st.uid, folder.gid);
      fs.chmodSync(f, SHARED_MODE);
    } catch (err) {
      throw storeError(`cannot make ${f} shared: ${(err as Error).message}`, `you need to be in the group ${groupName(folder.gid)} ${SEE}`);
    }
  }
}

// ---- checking ----

/** What `db check` reports about the store's permissions (empty when fine). */
export function permissionProblems(file: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return [];
  }
  const problems: string[] = [];
  if (st.mode & 0o006) problems.push(`users outside its group can ${st.mode & 0o004 ? 'read' : 'write'} it (${describeFile(st)}): \`chmod o-rwx ${sh(file)}\``);
  if (st.mode & 0o060) {
    const folder = path.dirname(file);
    try {
      const dir = fs.statSync(folder);
      if (dir.mode & 0o002) problems.push(`its folder ${folder} is writable by every user (${describeFile(dir)}): \`chmod o-w ${sh(folder)}\``);
    } catch {
      // unreadable folder: the store could not have been opened
    }
  }
  for (const suffix of SIDE_FILES) {
    try {
      const side = fs.statSync(file + suffix);
      if ((side.mode & 0o777) !== (st.mode & 0o777) || side.gid !== st.gid) {
        problems.push(`${file + suffix} (${describeFile(side)}) does not match the store (${describeFile(st)})`);
      }
    } catch {
      // not there: nothing to compare
    }
  }
  return problems;
}

/** SQLite said read-only: which file or folder, with its mode, owner and group, and the fix. */
export function readOnlyError(file: string, sqliteCode: string): TktError {
  try {
    const st = fs.statSync(file);
    if (!can(file, fs.constants.W_OK)) {
      const fix = inGroup(st.gid) ? `for a shared store its owner runs \`chmod 660 ${sh(file)}\` ${SEE}` : `check the file permissions ${SEE}`;
      return storeError(`the store ${file} is read-only for you (${describeFile(st)})`, fix);
    }
    const folder = path.dirname(file);
    const dir = fs.statSync(folder);
    if (!can(folder, fs.constants.W_OK)) {
      return storeError(
        `the store ${file} is read-only for you: SQLite cannot create its -wal and -shm files in ${folder} (${describeFile(dir)})`,
        inGroup(dir.gid) ? `for a shared store its owner runs \`chmod 2770 ${sh(folder)}\` ${SEE}` : `check the folder's permissions ${SEE}`,
      );
    }
  } catch {
    // gone or hidden meanwhile: the plain message
  }
  return storeError(`the store ${file} is read-only (${sqliteCode})`, 'check the permissions of the file, its -wal and -shm files, and its folder');
}
