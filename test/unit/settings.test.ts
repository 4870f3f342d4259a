import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../src/cli/config.js';
import { defaultStorePath, findProjectFile, resolveOrgSelection, resolveStoreLocator } from '../../src/cli/settings.js';
import { TktError } from '../../src/errors.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-settings-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('which store and which org', () => {
  const project = path.join(tmp, 'project');
  const deep = path.join(project, 'a', 'b');
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(project, '.tkt.json'), JSON.stringify({ org: 'from-file', db: '../team.db' }));

  it('finds the nearest .tkt.json and takes its db relative to its folder', () => {
    const found = findProjectFile(deep)!;
    expect(found.org).toBe('from-file');
    expect(found.db).toBe(path.join(tmp, 'team.db'));
  });

  it('flag beats env beats .tkt.json beats the default', () => {
    const pf = findProjectFile(deep);
    expect(resolveStoreLocator({ flag: 'x.db', env: { TKT_DB: '/env.db' }, cwd: deep, project: pf }).label).toBe(path.join(deep, 'x.db'));
    expect(resolveStoreLocator({ flag: undefined, env: { TKT_DB: '/env.db' }, cwd: deep, project: pf }).label).toBe('/env.db');
    expect(resolveStoreLocator({ flag: undefined, env: {}, cwd: deep, project: pf }).label).toBe(path.join(tmp, 'team.db'));
    expect(resolveStoreLocator({ flag: undefined, env: { XDG_DATA_HOME: '/xdg' }, cwd: deep, project: undefined }).label).toBe('/xdg/tkt/tkt.db');
    expect(defaultStorePath({ HOME: '/h' })).toMatch(/tkt\/tkt\.db$/);

    expect(resolveOrgSelection({ flag: 'f', env: { TKT_ORG: 'e' }, project: pf, savedOrgId: 3 })).toEqual({ ref: { slug: 'f' }, source: '--org' });
    expect(resolveOrgSelection({ flag: undefined, env: { TKT_ORG: 'e' }, project: pf, savedOrgId: 3 })).toEqual({ ref: { slug: 'e' }, source: 'TKT_ORG' });
    expect(resolveOrgSelection({ flag: undefined, env: {}, project: pf, savedOrgId: 3 })).toEqual({ ref: { slug: 'from-file' }, source: '.tkt.json' });
    expect(resolveOrgSelection({ flag: undefined, env: {}, project: undefined, savedOrgId: 3 })).toEqual({ ref: { id: 3 }, source: 'config' });
    expect(resolveOrgSelection({ flag: undefined, env: {}, project: undefined, savedOrgId: undefined })).toBeUndefined();
  });

  it('a malformed .tkt.json is a usage error naming the file', () => {
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    for (const content of ['{oops', '[1,2]', '{"org": 42}', '{"db": ""}']) {
      fs.writeFileSync(path.join(bad, '.tkt.json'), content);
      try {
        findProjectFile(bad);
        expect.unreachable(content);
      } catch (err) {
        expect((err as TktError).exitCode).toBe(2);
        expect((err as TktError).message).toContain(path.join(bad, '.tkt.json'));
      }
    }
  });
});

describe('the config file', () => {
  const dir = path.join(tmp, 'config');
  const config = new ConfigFile({ TKT_CONFIG_DIR: dir });
  const session = 'tkts_' + 'a'.repeat(43);

  it('saves per store, with mode 0600, and reads it back', async () => {
    await config.update('/one.db', () => ({ session, activeOrgId: 7 }));
    await config.update('/two.db', () => ({ session }));
    expect(config.forStore('/one.db')).toEqual({ session, activeOrgId: 7 });
    expect(config.forStore('/two.db')).toEqual({ session });
    expect(config.forStore('/three.db')).toEqual({});
    expect(fs.statSync(config.file).mode & 0o777).toBe(0o600);
    await config.update('/one.db', () => ({}));
    expect(config.forStore('/one.db')).toEqual({});
  });

  it('refuses tampered values with exit 3 and says how to fix it', () => {
    const cases = [
      '{"stores": []}',
      '{"stores": {"/x.db": "nope"}}',
      '{"stores": {"/x.db": {"session": 42}}}',
      '{"stores": {"/x.db": {"session": "tkts_short"}}}',
      `{"stores": {"/x.db": {"session": "${session}", "activeOrgId": "1 OR 1=1"}}}`,
      `{"stores": {"/x.db": {"session": "${session}", "activeOrgId": -1}}}`,
      'not json at all',
    ];
    for (const content of cases) {
      fs.writeFileSync(config.file, content);
      try {
        config.forStore('/x.db');
        expect.unreachable(content);
      } catch (err) {
        expect((err as TktError).exitCode, content).toBe(3);
        expect((err as TktError).hint).toContain('log in again');
      }
    }
  });

  it('a new login repairs a damaged config', async () => {
    fs.writeFileSync(config.file, '{broken');
    await config.update('/x.db', () => ({ session }));
    expect(config.forStore('/x.db')).toEqual({ session });
  });
});
