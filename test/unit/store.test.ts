import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TktError } from '../../src/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { createWorld } from '../support/memory.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-store-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('opening a store', () => {
  it('creates the file with mode 0600, WAL, foreign keys on, synchronous FULL, busy timeout', () => {
    const file = path.join(tmp, 'new', 'tkt.db');
    const store = openSqliteStore({ path: file });
    const pragma = (p: string) => store.conn.sqlite.pragma(p, { simple: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('synchronous')).toBe(2);
    expect(pragma('busy_timeout')).toBe(5000);
    store.close();
  });

  it('refuses a store whose schema is newer than this tkt (exit 7) and changes nothing', () => {
    const file = path.join(tmp, 'newer.db');
    const store = openSqliteStore({ path: file });
    store.conn.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 4102444800000);
    const before = store.conn.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    store.close();
    try {
      openSqliteStore({ path: file });
      expect.unreachable();
    } catch (err) {
      expect((err as TktError).exitCode).toBe(7);
      expect((err as TktError).message).toContain('newer schema');
    }
    const again = openSqliteStore({ path: file, migrate: false });
    expect(again.conn.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(before);
    again.close();
  });

  it('db check notices an edited migration and a cross-org reference written with foreign keys off', async () => {
    const world = createWorld({ path: path.join(tmp, 'check.db') });
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme');
    const globex = await world.org(alice, 'Globex');
    expect((await world.store.admin.check()).every((c) => c.ok)).toBe(true);

    const sqlite = world.store.conn.sqlite;
    // The database itself refuses a membership whose role belongs to another org…
    const otherRole = (sqlite.prepare("SELECT id FROM roles WHERE organization_id = ? AND code = 'viewer'").get(globex.ctx.org.id) as { id: number }).id;
    expect(() =>
      sqlite.prepare('UPDATE memberships SET role_id = ? WHERE organization_id = ?').run(otherRole, acme.ctx.org.id),
    ).toThrow(/FOREIGN KEY/);
    // …so only a writer that switched foreign keys off can do it, and db check finds it.
    sqlite.pragma('foreign_keys = OFF');
    sqlite.prepare('UPDATE memberships SET role_id = ? WHERE organization_id = ?').run(otherRole, acme.ctx.org.id);
    sqlite.prepare("UPDATE __drizzle_migrations SET hash = 'edited' WHERE id = 1").run();
    sqlite.pragma('foreign_keys = ON');
    const failed = (await world.store.admin.check()).filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(['foreign keys', 'membership role belongs to the same org', 'applied migrations unchanged']));
    world.store.close();
  });

  it('db check notices an id past its org counter (the next one would collide)', async () => {
    const world = createWorld({ path: path.join(tmp, 'numbers.db') });
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme');
    expect((await world.store.admin.check()).every((c) => c.ok)).toBe(true);
    world.store.conn.sqlite.prepare('UPDATE organizations SET next_audit_number = next_audit_number - 1 WHERE id = ?').run(acme.ctx.org.id);
    const failed = (await world.store.admin.check()).filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(['comment, audit event and invitation ids are below the org counters']);
    world.store.close();
  });

  it('a file that is not SQLite is exit 7', () => {
    const file = path.join(tmp, 'text.db');
    fs.writeFileSync(file, 'definitely not sqlite '.repeat(200));
    expect(() => openSqliteStore({ path: file })).toThrow(TktError);
    try {
      openSqliteStore({ path: file });
    } catch (err) {
      expect((err as TktError).exitCode).toBe(7);
    }
  });
});
