// The store is named by a locator: a path, or a postgres:// URL (not available in this version).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../support/cli.js';

describe('a postgres:// store', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());
  const url = 'postgres://alice:s3cret@db.example.com:5432/tkt';

  it.each([
    ['--db', (args: string[]) => sb.run(['--db', url, ...args])],
    ['TKT_DB', (args: string[]) => sb.run(args, { env: { TKT_DB: url } })],
  ])('given by %s, is exit 7 for every kind of command, named without its password', async (_, run) => {
    for (const args of [['db', 'status', '--json'], ['auth', 'status'], ['auth', 'login', '--email', 'a@example.com', '--password-stdin']]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(7);
      expect(r.stderr).toContain('postgres://alice@db.example.com:5432/tkt');
      expect(r.stderr + r.stdout).not.toContain('s3cret');
    }
  });

  it('in .tkt.json is taken as a URL, not as a path relative to the file', async () => {
    const project = path.join(sb.dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, '.tkt.json'), JSON.stringify({ db: url }));
    const r = await sb.run(['db', 'status'], { cwd: project, env: { TKT_DB: undefined } });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toContain('PostgreSQL');
    expect(fs.readdirSync(project)).toEqual(['.tkt.json']);
  });

  it('that is malformed is a usage error that does not repeat it', async () => {
    const r = await sb.run(['--db', 'postgres://alice:s3cret@db:99999/tkt', 'db', 'status']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('s3cret');
  });
});
