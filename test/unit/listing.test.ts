// The pure parts of listing and of reading argv: the footer's text and where --json's word goes.
import { describe, expect, it } from 'vitest';
import { jsonFieldsOf } from '../../src/cli/define.js';
import { normalizeJsonArgv } from '../../src/cli/globals.js';
import { buildProgram } from '../../src/cli/program.js';
import { listFooter } from '../../src/commands/ticket/list.js';

describe('listFooter', () => {
  it('says how many of how many, and how to see the rest', () => {
    expect(listFooter(30, 5008, { number: 1, size: 30 })).toBe('Showing 30 of 5,008 tickets · --limit 0 for all · --page 2 for the next');
    expect(listFooter(30, 5008, { number: 3, size: 30 })).toBe('Showing 61–90 of 5,008 tickets · --limit 0 for all · --page 4 for the next');
    expect(listFooter(8, 5008, { number: 167, size: 30 })).toBe('Showing 4,981–4,988 of 5,008 tickets · --limit 0 for all · --page 168 for the next');
    expect(listFooter(4, 34, { number: 2, size: 30 })).toBe('Showing 31–34 of 34 tickets · --limit 0 for all');
  });
  it('is absent when every match is shown, or none', () => {
    expect(listFooter(12, 12, { number: 1, size: 30 })).toBeUndefined();
    expect(listFooter(0, 12, { number: 9, size: 30 })).toBeUndefined();
  });
});

describe('normalizeJsonArgv', () => {
  const program = buildProgram({ io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin }, env: {}, cwd: '/' });
  const norm = (argv: string[]) => normalizeJsonArgv(argv, program, jsonFieldsOf);

  it('keeps a field list of the command', () => {
    expect(norm(['ticket', 'list', '--json', 'key,title'])).toEqual(['ticket', 'list', '--json=key,title']);
    expect(norm(['ticket', 'view', '--json', 'key', '1'])).toEqual(['ticket', 'view', '--json=key', '1']);
    expect(norm(['--json', 'slug', 'org', 'list'])).toEqual(['--json=slug', 'org', 'list']);
  });
  it('leaves an argument or a command where it is', () => {
    expect(norm(['ticket', 'view', '--json', '1'])).toEqual(['ticket', 'view', '1', '--json']);
    expect(norm(['org', 'switch', '--json', 'acme-corp'])).toEqual(['org', 'switch', 'acme-corp', '--json']);
    expect(norm(['--json', 'org', 'list'])).toEqual(['org', 'list', '--json']);
    expect(norm(['ticket', 'view', '--json', '1', '--', '-x'])).toEqual(['ticket', 'view', '1', '--json', '--', '-x']);
    expect(norm(['--org', 'acme', 'ticket', 'list', '--json', '--limit', '3'])).toEqual(['--org', 'acme', 'ticket', 'list', '--limit', '3', '--json']);
  });
  it('gives the word to a command without arguments, or when it names a field, so a typo is reported as a field', () => {
    expect(norm(['ticket', 'list', '--json', 'titel'])).toEqual(['ticket', 'list', '--json=titel']);
    expect(norm(['org', 'create', 'Ivy', '--json', 'slug,nmae'])).toEqual(['org', 'create', 'Ivy', '--json=slug,nmae']);
    expect(norm(['org', 'switch', '--json', 'acme'])).toEqual(['org', 'switch', 'acme', '--json']);
  });
  it('refuses --json twice', () => {
    expect(() => norm(['--json', 'ticket', 'list', '--json=key'])).toThrow('--json was given more than once');
    expect(norm(['ticket', 'list', '--', '--json'])).toEqual(['ticket', 'list', '--', '--json']);
  });
});
