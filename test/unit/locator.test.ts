import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectFile, resolveStoreLocator } from '../../src/cli/settings.js';
import { TktError } from '../../src/errors.js';
import { isStoreUrl, parseStoreLocator, type StoreLocator } from '../../src/store/locator.js';
import { openStore } from '../../src/store/open.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-locator-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function failure(run: () => unknown): TktError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TktError);
    return err as TktError;
  }
  throw new Error('expected a TktError');
}

describe('a store locator', () => {
  it('is a SQLite file for a path, made absolute from the cwd, labelled by that path', () => {
    expect(parseStoreLocator('team.db', '/work/here')).toEqual({ kind: 'sqlite', path: '/work/here/team.db', label: '/work/here/team.db' });
    expect(parseStoreLocator('../team.db', '/work/here')).toMatchObject({ path: '/work/team.db' });
    expect(parseStoreLocator('/abs/team.db', '/work/here')).toMatchObject({ kind: 'sqlite', path: '/abs/team.db' });
  });

  it('resolves symlinks of an existing file, so that one store has one config entry', () => {
    const real = path.join(tmp, 'real.db');
    fs.writeFileSync(real, '');
    fs.symlinkSync(real, path.join(tmp, 'link.db'));
    expect(parseStoreLocator('link.db', tmp)).toMatchObject({ path: real, label: real });
  });

  it('has no file: URL form: such a string is a file path like any other', () => {
    expect(parseStoreLocator('file:team.db', '/w')).toMatchObject({ kind: 'sqlite', path: '/w/file:team.db' });
  });

  it('is a PostgreSQL store for a postgres:// or postgresql:// URL, labelled without the password', () => {
    const withPassword = parseStoreLocator('postgres://alice:s3cret@db.example.com:5433/tkt?sslmode=require', '/w');
    expect(withPassword).toEqual({
      kind: 'postgres',
      url: 'postgres://alice:s3cret@db.example.com:5433/tkt?sslmode=require',
      label: 'postgres://alice@db.example.com:5433/tkt',
      user: 'alice',
      host: 'db.example.com',
      port: 5433,
      database: 'tkt',
    });
    expect(withPassword.label).not.toContain('s3cret');
    expect(parseStoreLocator('postgresql://alice@db.example.com/tkt', '/w')).toMatchObject({
      kind: 'postgres',
      label: 'postgres://alice@db.example.com/tkt',
      port: undefined,
    });
    expect(parseStoreLocator('POSTGRES://db/tkt', '/w')).toMatchObject({ kind: 'postgres', label: 'postgres://db/tkt', user: undefined });
  });

  it('keeps a password given as a query parameter, or %-escaped, out of the label too', () => {
    const query = parseStoreLocator('postgres://db.example.com/tkt?user=bob&password=hunter2', '/w');
    expect(query).toMatchObject({ label: 'postgres://bob@db.example.com/tkt', user: 'bob' });
    const escaped = parseStoreLocator('postgres://al%40ice:p%3Ass@db/my%20db', '/w');
    expect(escaped).toMatchObject({ user: 'al@ice', database: 'my db', label: 'postgres://al%40ice@db/my%20db' });
    for (const l of [query, escaped]) expect(l.label).not.toMatch(/hunter2|p%3Ass|p:ss/);
  });

  it('refuses a malformed URL without repeating it (it may hold a password)', () => {
    for (const text of ['postgres://alice:s3cret@db:99999/tkt', 'postgres://alice:s3cret@db/%zz']) {
      const err = failure(() => parseStoreLocator(text, '/w'));
      expect(err.exitCode).toBe(2);
      expect(`${err.message} ${err.hint}`).not.toContain('s3cret');
    }
  });

  it('is a usage error when empty or holding a NUL byte', () => {
    expect(failure(() => parseStoreLocator('', '/w')).exitCode).toBe(2);
    expect(failure(() => parseStoreLocator('a\u0000b.db', '/w')).exitCode).toBe(2);
    expect(failure(() => resolveStoreLocator({ flag: '', env: { TKT_DB: '/env.db' }, cwd: '/w', project: undefined })).message).toContain('--db');
  });

  it('tells a URL from a path', () => {
    expect(isStoreUrl('postgres://h/db')).toBe(true);
    expect(isStoreUrl('postgresql://h/db')).toBe(true);
    expect(isStoreUrl('postgres.db')).toBe(false);
    expect(isStoreUrl('./postgres://x')).toBe(false);
  });

  it('takes a URL in .tkt.json as it is, and a path relative to the file', () => {
    const dir = path.join(tmp, 'project');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.tkt.json'), JSON.stringify({ db: 'postgres://alice:pw@db/tkt' }));
    expect(resolveStoreLocator({ flag: undefined, env: {}, cwd: dir, project: findProjectFile(dir) })).toMatchObject({
      kind: 'postgres',
      label: 'postgres://alice@db/tkt',
    });
    fs.writeFileSync(path.join(dir, '.tkt.json'), JSON.stringify({ db: 'sub/team.db' }));
    expect(resolveStoreLocator({ flag: undefined, env: {}, cwd: '/elsewhere', project: findProjectFile(dir) })).toMatchObject({
      kind: 'sqlite',
      path: path.join(dir, 'sub', 'team.db'),
    });
  });
});

describe('opening a store by its locator', () => {
  it('opens a SQLite store, labelled by its path', async () => {
    const locator = parseStoreLocator('open.db', tmp);
    const store = await openStore(locator);
    try {
      expect(store.location).toBe(path.join(tmp, 'open.db'));
      expect((await store.admin.status()).sqlite).toMatchObject({ path: path.join(tmp, 'open.db'), journalMode: 'wal' });
    } finally {
      await store.close();
    }
  });

  it('refuses a PostgreSQL store with exit 7, naming it without its password', async () => {
    const locator: StoreLocator = parseStoreLocator('postgres://alice:s3cret@db/tkt', tmp);
    const err = await openStore(locator).then(
      () => undefined,
      (e: unknown) => e as TktError,
    );
    expect(err).toBeInstanceOf(TktError);
    expect(err!.exitCode).toBe(7);
    expect(err!.message).toContain('postgres://alice@db/tkt');
    expect(err!.message).not.toContain('s3cret');
  });
});
