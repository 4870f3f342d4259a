// Static rules that keep the tenant boundary where it belongs:
// - only the store layer touches tables (schema.ts) and the SQLite implementation;
// - only the store mints a TenantContext, and only the guard turns one into repositories;
// - imports flow one way: commands → domain → store; commands never reach into another noun.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/domain/audit-events.js';
import { tenantTables } from '../../src/store/schema.js';

const SRC = path.resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const sources = files(SRC).map((file) => ({
  file: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|\bimport\s*\(?)\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '.ts');
}

describe('architecture', () => {
  it('commands never import another noun\'s files, and no command file is over 200 lines', () => {
    const noun = (file: string) => file.split('/')[1]!;
    const crossing = sources
      .filter(({ file }) => file.startsWith('commands/'))
      .flatMap(({ file, text }) =>
        importsOf(text)
          .map((spec) => resolveImport(file, spec))
          .filter((target): target is string => !!target && target.startsWith('commands/'))
          .filter((target) => noun(target) !== noun(file) && noun(target) !== 'shared')
          .map((target) => `${file} → ${target}`),
      );
    expect(crossing).toEqual([]);
    const long = sources.filter(({ file, text }) => file.startsWith('commands/') && text.split('\n').length > 200).map((s) => s.file);
    expect(long).toEqual([]);
  });

  it('reads the source tree', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('only src/store imports the table definitions or the SQLite implementation', () => {
    const offenders = sources.flatMap(({ file, text }) =>
      importsOf(text)
        .map((spec) => resolveImport(file, spec))
        .filter((target): target is string => !!target && (target === 'store/schema.ts' || target.startsWith('store/sqlite/')))
        .filter(() => !file.startsWith('store/'))
        // The runtime opens the default store lazily; it touches no table.
        .filter((target) => !(file === 'cli/runtime.ts' && target === 'store/sqlite/store.ts'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only the stores mint tenant contexts, and only the guard binds repositories to one', () => {
    const minting = sources.filter(({ text }) => /\bmintTenantContext\(/.test(text)).map((s) => s.file);
    expect(minting.every((f) => f === 'store/ports/tenant.ts' || f.startsWith('store/sqlite/') || f.startsWith('store/pg/'))).toBe(true);
    const binding = sources.filter(({ text }) => /\.forOrg\(/.test(text)).map((s) => s.file);
    expect(binding).toEqual(['domain/guard.ts']);
  });

  it('imports flow one way: commands → domain → store; output is used by the CLI layer only', () => {
    const layer = (file: string) => file.split('/')[0]!;
    const forbidden: Record<string, string[]> = {
      store: ['domain', 'commands', 'cli', 'output'],
      domain: ['commands', 'cli', 'output'],
      output: ['domain', 'commands', 'cli', 'store'],
    };
    const offenders = sources.flatMap(({ file, text }) =>
      importsOf(text)
        .map((spec) => resolveImport(file, spec))
        .filter((target): target is string => !!target && (forbidden[layer(file)] ?? []).includes(layer(target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('heavy modules load only when used (no static import outside their one user)', () => {
    const lazyOnly = ['@inquirer/prompts', 'csv-parse', 'csv-stringify', 'string-width', 'cli-truncate', 'conf', 'better-sqlite3', 'drizzle-orm/better-sqlite3', 'pg'];
    const offenders = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/^import\s+(?!type\b)[^'"]*from\s+['"]([^'"]+)['"]/gm)]
        .map((m) => m[1]!)
        .filter((spec) => lazyOnly.some((heavy) => spec === heavy || spec.startsWith(heavy + '/')))
        .filter((spec) => !(spec === 'pg' ? file.startsWith('store/pg/') : file.startsWith('store/sqlite/')))
        .map((spec) => `${file} statically imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  // Issue 6, part 2: nothing outside the store layer can reach a tenant table, by any route.
  it('only the store implementations and the schemas use drizzle-orm, better-sqlite3 or pg (type imports included)', () => {
    const offenders = sources.flatMap(({ file, text }) =>
      importsOf(text)
        .filter((spec) => /^(drizzle-orm|better-sqlite3|pg)(\/|$)/.test(spec))
        .filter((spec) => !(file === 'store/schema.ts' || (spec === 'pg' || file.startsWith('store/pg/') ? file.startsWith('store/pg/') : file.startsWith('store/sqlite/'))))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the store ports (what the domain sees) import neither the tables nor the SQLite implementation', () => {
    const offenders = sources
      .filter(({ file }) => file.startsWith('store/ports/'))
      .flatMap(({ file, text }) =>
        importsOf(text)
          .map((spec) => resolveImport(file, spec) ?? spec)
          .filter((target) => !target.startsWith('store/ports/') && target !== 'errors.ts')
          .map((target) => `${file} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no SQL outside src/store names a tenant table', () => {
    const names = tenantTables.join('|');
    const sqlNaming = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+[\`"]?(?:${names})\\b|\\b(?:from|join|into|update)\\s+[\`"](?:${names})[\`"]`);
    const offenders = sources
      .filter(({ file }) => !file.startsWith('store/'))
      .flatMap(({ file, text }) => text.split('\n').flatMap((line, i) => (sqlNaming.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(offenders).toEqual([]);
  });

  // The domain decides, the store stores: audit events are built in src/domain/audit-events.ts,
  // and a store appends what it is handed, so a second store has no event text to copy.
  it('no file under src/store names an audit action', () => {
    const named = new RegExp(`(?<![\\w.])(?:${AUDIT_ACTIONS.map((a) => a.replace('.', '\\.')).join('|')})(?![\\w])`);
    expect(named.test("action: 'member.role'")).toBe(true);
    const offenders = sources
      .filter(({ file }) => file.startsWith('store/'))
      .flatMap(({ file, text }) => text.split('\n').flatMap((line, i) => (named.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(offenders).toEqual([]);
  });
});
