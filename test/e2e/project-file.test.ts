// A .tkt.json someone else planted in a parent folder must not redirect a person's commands (issue
// 11 #10): like git's safe.directory, only a file owned by the user (or root) and not writable by
// group or others is honoured; another is ignored with one warning, and the walk stops there.
// On a terminal, what an org-scoped write did names the org it did it in.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { AS_ROOT } from '../support/foreign-user.js';

const NOBODY = 65534;

describe('a .tkt.json in a parent folder', () => {
  const sb = new Sandbox();
  let ann: Person;
  const parent = path.join(sb.dir, 'shared');
  const cwd = path.join(parent, 'deep', 'er');
  const file = path.join(parent, '.tkt.json');
  const planted = path.join(sb.dir, 'planted.db');

  beforeAll(async () => {
    ann = await sb.person('ann@example.com', 'Ann');
    expect((await ann.run(['org', 'create', 'Acme', '--slug', 'acme'])).code).toBe(0);
    // created last: the saved active org
    expect((await ann.run(['org', 'create', 'Home', '--slug', 'home'])).code).toBe(0);
    fs.mkdirSync(cwd, { recursive: true });
  });
  afterAll(() => sb.cleanup());

  function plant(content: object, mode: number, uid = process.getuid!(), gid = process.getgid!()): void {
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, JSON.stringify(content));
    fs.chmodSync(file, mode);
    fs.chownSync(file, uid, gid);
  }

  /** A group of mine that others may be in: nogroup as root, else a supplementary group. */
  const sharedGroup = AS_ROOT ? NOBODY : process.getgroups!().find((g) => g !== process.getgid!());

  const current = async () => {
    const r = await ann.run(['org', 'current', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    return { slug: r.json().slug as string, stderr: r.stderr };
  };

  const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('tkt: warning:'));

  it("the user's own 0644 file is honoured, with no warning", async () => {
    plant({ org: 'acme' }, 0o644);
    const { slug, stderr } = await current();
    expect(slug).toBe('acme');
    expect(stderr).toBe('');
  });

  it.skipIf(sharedGroup === undefined)('a group-writable one of the user is ignored, with one warning saying why and how to trust it', async () => {
    plant({ org: 'acme' }, 0o664, process.getuid!(), sharedGroup);
    const { slug, stderr } = await current();
    expect(slug).toBe('home');
    const lines = warnings(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`ignoring ${file}`);
    expect(lines[0]).toContain('mode 0664');
    expect(lines[0]).toContain('its group may write it');
    expect(lines[0]).toContain(`chmod go-w ${file}`);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(!AS_ROOT)("as root: group-writable with root's own group (no other members, as umask 0002 systems make files) is honoured", async () => {
    plant({ org: 'acme' }, 0o664, 0, 0);
    const { slug, stderr } = await current();
    expect(slug).toBe('acme');
    expect(stderr).toBe('');
  });

  it('a world-writable one is ignored too', async () => {
    plant({ org: 'acme' }, 0o646);
    const { slug, stderr } = await current();
    expect(slug).toBe('home');
    expect(warnings(stderr)[0]).toContain('others may write it');
  });

  it.skipIf(!AS_ROOT)("as root: one owned by another user (nobody) is ignored, the store and org it names are not used, the walk stops at it", async () => {
    // One further up that would be honoured: the planted one must not make tkt fall back to it.
    fs.writeFileSync(path.join(sb.dir, '.tkt.json'), JSON.stringify({ org: 'acme' }));
    fs.chmodSync(path.join(sb.dir, '.tkt.json'), 0o644);
    try {
      plant({ org: 'acme', db: planted }, 0o644, NOBODY);
      const { slug, stderr } = await current();
      expect(slug).toBe('home');
      const lines = warnings(stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`ignoring ${file}`);
      expect(lines[0]).toMatch(/owner (nobody|uid 65534),/);
      expect(lines[0]).toContain('mode 0644');
      expect(lines[0]).toContain('its owner is not you (root),');
      expect(lines[0]).toContain(`chown root ${file}`);

      // Its store: not opened, not created, even by a command that may create one.
      const r = await ann.run(['db', 'status', '--json'], { cwd, env: { TKT_DB: undefined, XDG_DATA_HOME: path.join(sb.dir, 'xdg') } });
      expect(r.stdout + r.stderr).not.toContain(planted);
      expect(warnings(r.stderr)).toHaveLength(1);
      const init = await ann.run(['db', 'init'], { cwd, env: { TKT_DB: undefined, XDG_DATA_HOME: path.join(sb.dir, 'xdg') } });
      expect(init.code, init.stderr).toBe(0);
      expect(fs.existsSync(planted)).toBe(false);
      expect(fs.existsSync(path.join(sb.dir, 'xdg', 'tkt', 'tkt.db'))).toBe(true);

      // Trusted the way the warning says: honoured.
      fs.chownSync(file, 0, 0);
      fs.writeFileSync(file, JSON.stringify({ org: 'acme' }));
      expect((await current()).slug).toBe('acme');
    } finally {
      fs.rmSync(path.join(sb.dir, '.tkt.json'), { force: true });
    }
  });

  it.skipIf(!AS_ROOT)('as root: a symbolic link planted by another user to your own file is ignored', async () => {
    const mine = path.join(sb.dir, 'mine.json');
    fs.writeFileSync(mine, JSON.stringify({ org: 'acme' }));
    fs.rmSync(file, { force: true });
    fs.symlinkSync(mine, file);
    fs.lchownSync(file, NOBODY, NOBODY);
    const { slug, stderr } = await current();
    expect(slug).toBe('home');
    expect(warnings(stderr)[0]).toContain('a symbolic link');
    fs.rmSync(file);
  });

  it('the warning is neutralised: a folder name with escapes reaches stderr as \\u escapes', async () => {
    const evil = path.join(sb.dir, 'x\x1b]0;pwned\x07y\u202e');
    fs.mkdirSync(evil);
    fs.writeFileSync(path.join(evil, '.tkt.json'), JSON.stringify({ org: 'acme' }));
    fs.chmodSync(path.join(evil, '.tkt.json'), 0o666);
    const r = await ann.run(['org', 'current'], { cwd: evil });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('x\\u001b]0;pwned\\u0007y\\u202e');
    expect(r.stderr).not.toMatch(/[\x1b\x07\u202e]/);
  });
});

describe('on a terminal, an org-scoped write names the org', () => {
  const sb = new Sandbox();
  let ann: Person;
  beforeAll(async () => {
    ann = await sb.person('ann@example.com', 'Ann');
    expect((await ann.run(['org', 'create', 'Acme', '--slug', 'acme-corp', '--key', 'ACME'])).code).toBe(0);
  });
  afterAll(() => sb.cleanup());

  it('ticket create, comment, move and member set-role say "(in acme-corp)"; an org picked by TKT_ORG too', async () => {
    const tty = { TKT_FORCE_TTY: '1' };
    const created = await ann.run(['ticket', 'create', '--title', 'First'], { env: tty });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Created ACME-1: First (in acme-corp)');
    const moved = await ann.run(['ticket', 'move', 'ACME-1', 'in_progress'], { env: { ...tty, TKT_ORG: 'acme-corp' } });
    expect(moved.stderr).toContain('in_progress (in acme-corp).');
    const commented = await ann.run(['ticket', 'comment', 'ACME-1', '--body', 'hi'], { env: tty });
    expect(commented.stderr).toContain('Commented on ACME-1 (in acme-corp).');
    // A message that names the org already is not told twice.
    const role = await ann.run(['role', 'create', 'triage', '--name', 'Triage', '--permissions', 'ticket:read'], { env: tty });
    expect(role.code, role.stderr).toBe(0);
    expect(role.stderr.match(/acme-corp/g)).toHaveLength(1);
  });

  it('piped, the messages and the data are as before', async () => {
    const created = await ann.run(['ticket', 'create', '--title', 'Second']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe('ACME-2\n');
    expect(created.stderr).toBe('Created ACME-2: Second\n');
    const json = await ann.run(['ticket', 'create', '--title', 'Third', '--json', 'key'], { env: { TKT_FORCE_TTY: '1' } });
    expect(json.json()).toEqual({ key: 'ACME-3' });
  });
});
