import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GlobalOptions } from '../../../src/cli/globals.js';
import type { Prompter } from '../../../src/cli/prompter.js';
import { Runtime } from '../../../src/cli/runtime.js';
import { newCmdAssign } from '../../../src/commands/ticket/assign.js';
import { newCmdClose } from '../../../src/commands/ticket/close.js';
import { newCmdComment } from '../../../src/commands/ticket/comment.js';
import { newCmdCreate } from '../../../src/commands/ticket/create.js';
import { deleteRun, newCmdDelete } from '../../../src/commands/ticket/delete.js';
import { newCmdEdit } from '../../../src/commands/ticket/edit.js';
import { exportRun, newCmdExport } from '../../../src/commands/ticket/export.js';
import { newCmdImport } from '../../../src/commands/ticket/import.js';
import { newCmdList } from '../../../src/commands/ticket/list.js';
import { newCmdMove } from '../../../src/commands/ticket/move.js';
import { newCmdReopen } from '../../../src/commands/ticket/reopen.js';
import { newCmdUnassign } from '../../../src/commands/ticket/unassign.js';
import { newCmdView } from '../../../src/commands/ticket/view.js';
import type { Tenant } from '../../../src/domain/guard.js';
import { createTicket } from '../../../src/domain/tickets/index.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';
import { createWorld, failure } from '../../support/memory.js';

const LIST_DEFAULTS = { sort: 'number', limit: '30' };

describe('ticket: argv → options', () => {
  it.each([
    ['create, no flags', newCmdCreate, [], {}],
    [
      'create, every flag',
      newCmdCreate,
      ['--title', 'Crash', '--body', 'it fails', '--priority', 'high', '--assignee', '@me', '--label', 'bug', '--label', 'ui,api'],
      { title: 'Crash', body: 'it fails', priority: 'high', assignee: '@me', label: ['bug', 'ui,api'] },
    ],
    ['create, --body-file', newCmdCreate, ['--title=Crash', '--body-file', '-'], { title: 'Crash', bodyFile: '-' }],
    ['list, defaults', newCmdList, [], LIST_DEFAULTS],
    [
      'list, every flag',
      newCmdList,
      [
        '--status', 'open', '--status', 'done,canceled', '--assignee', 'none', '--label', 'bug', '--label', 'ui',
        '--priority', 'high', '--search', 'crash*', '--sort', 'priority', '--limit', '0',
      ],
      {
        status: ['open', 'done,canceled'], assignee: 'none', label: ['bug', 'ui'], priority: ['high'],
        search: 'crash*', sort: 'priority', limit: '0',
      },
    ],
    ['list, a limit as typed', newCmdList, ['--limit', 'ten'], { ...LIST_DEFAULTS, limit: 'ten' }],
    ['view', newCmdView, ['ACME-42'], { key: 'ACME-42' }],
    ['view, global flags around', newCmdView, ['--json', 'key,title', '#42', '-q'], { key: '#42' }],
    ['edit, key only', newCmdEdit, ['42'], { keys: ['42'] }],
    [
      'edit, every flag',
      newCmdEdit,
      ['42', '--title', 'New', '--body', 'text', '--priority', 'low', '--add-label', 'a', '--add-label', 'b,c', '--remove-label', 'd'],
      { keys: ['42'], title: 'New', body: 'text', priority: 'low', addLabel: ['a', 'b,c'], removeLabel: ['d'] },
    ],
    ['edit, --body-file', newCmdEdit, ['--body-file', 'notes.md', 'ACME-1'], { keys: ['ACME-1'], bodyFile: 'notes.md' }],
    ['edit, -e', newCmdEdit, ['ACME-1', '-e'], { keys: ['ACME-1'], editor: true }],
    ['create, --editor', newCmdCreate, ['--editor', '--title', 'T'], { editor: true, title: 'T' }],
    ['comment, -e', newCmdComment, ['1', '-e'], { key: '1', editor: true }],
    ['edit, many keys', newCmdEdit, ['1', '2', '--add-label', 'x'], { keys: ['1', '2'], addLabel: ['x'] }],
    ['assign', newCmdAssign, ['ACME-1', 'bob@example.com'], { keys: ['ACME-1'], who: 'bob@example.com' }],
    ['assign many', newCmdAssign, ['4', '5', '6', '@me'], { keys: ['4', '5', '6'], who: '@me' }],
    ['assign from stdin', newCmdAssign, ['-', '@me'], { keys: ['-'], who: '@me' }],
    ['assign, the member to pick', newCmdAssign, ['ACME-1'], { keys: ['ACME-1'] }],
    ['assign to me', newCmdAssign, ['ACME-1', '@me'], { keys: ['ACME-1'], who: '@me' }],
    ['unassign', newCmdUnassign, ['ACME-1'], { keys: ['ACME-1'] }],
    ['unassign many', newCmdUnassign, ['1', '#2', 'ACME-3'], { keys: ['1', '#2', 'ACME-3'] }],
    ['move', newCmdMove, ['ACME-1', 'in_progress'], { keys: ['ACME-1'], status: 'in_progress' }],
    ['move many', newCmdMove, ['1', '2', 'done'], { keys: ['1', '2'], status: 'done' }],
    ['move from stdin', newCmdMove, ['-', 'done'], { keys: ['-'], status: 'done' }],
    ['move, a status as typed', newCmdMove, ['ACME-1', 'started'], { keys: ['ACME-1'], status: 'started' }],
    ['close', newCmdClose, ['ACME-1'], { keys: ['ACME-1'] }],
    ['close many', newCmdClose, ['10', '11', '12'], { keys: ['10', '11', '12'] }],
    ['close from stdin', newCmdClose, ['-'], { keys: ['-'] }],
    ['reopen', newCmdReopen, ['ACME-1'], { keys: ['ACME-1'] }],
    ['reopen many', newCmdReopen, ['1', '2'], { keys: ['1', '2'] }],
    ['comment, prompting', newCmdComment, ['ACME-1'], { key: 'ACME-1' }],
    ['comment, --body', newCmdComment, ['ACME-1', '--body', 'done?'], { key: 'ACME-1', body: 'done?' }],
    ['comment, --body-file', newCmdComment, ['ACME-1', '--body-file', '-'], { key: 'ACME-1', bodyFile: '-' }],
    ['delete', newCmdDelete, ['ACME-1'], { keys: ['ACME-1'] }],
    ['delete many', newCmdDelete, ['1', '2'], { keys: ['1', '2'] }],
    ['delete, -y is global', newCmdDelete, ['-y', 'ACME-1'], { keys: ['ACME-1'] }],
    ['import', newCmdImport, ['tickets.csv'], { file: 'tickets.csv' }],
    ['import, stdin with a format', newCmdImport, ['-', '--format', 'csv'], { file: '-', format: 'csv' }],
    ['export, no flags', newCmdExport, [], {}],
    [
      'export, every flag',
      newCmdExport,
      [
        '--format', 'csv', '--status', 'open', '--assignee', 'bob@example.com', '--label', 'bug',
        '--priority', 'urgent', '--priority', 'high', '--search', 'login', '--limit', '5',
      ],
      {
        format: 'csv', status: ['open'], assignee: 'bob@example.com', label: ['bug'], priority: ['urgent', 'high'],
        search: 'login', limit: '5',
      },
    ],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['create with an argument', newCmdCreate, ['Crash'], /too many arguments/],
    ['create with a flag of edit', newCmdCreate, ['--add-label', 'bug'], /unknown option '--add-label'/],
    ['--title without a value', newCmdCreate, ['--title'], /option '--title <title>' argument missing/],
    ['list with --format', newCmdList, ['--format', 'csv'], /unknown option '--format'/],
    ['view without a key', newCmdView, [], /missing required argument 'key'/],
    ['view with two keys', newCmdView, ['1', '2'], /too many arguments/],
    ['edit without a key', newCmdEdit, ['--title', 'New'], /missing required argument 'keys'/],
    ['close without a key', newCmdClose, [], /missing required argument 'keys'/],
    ['move without anything', newCmdMove, [], /missing required argument 'words'/],
    ['comment with --title', newCmdComment, ['ACME-1', '--title', 'x'], /unknown option '--title'/],
    ['import without a file', newCmdImport, [], /missing required argument 'file'/],
    ['export with --sort', newCmdExport, ['--sort', 'priority'], /unknown option '--sort'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});

describe('ticket: run functions', () => {
  let tenant: Tenant;
  const asked: string[] = [];

  function runtime(globals: Partial<GlobalOptions>, answer = false): Runtime {
    const refuse = async () => {
      throw new Error('not asked in these tests');
    };
    const prompter: Prompter = {
      interactive: true,
      password: refuse,
      input: refuse,
      select: refuse,
      confirm: async (question) => {
        asked.push(question);
        return answer;
      },
    };
    return new Runtime({
      io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: Readable.from([]) },
      env: {},
      cwd: process.cwd(),
      globals: { quiet: false, color: false, input: true, yes: false, ...globals },
      prompter,
    });
  }

  beforeEach(async () => {
    asked.length = 0;
    const world = createWorld();
    tenant = await world.org(await world.user('alice@example.com'), 'Acme', { key: 'ACME' });
    await createTicket(tenant, { title: 'First', labels: [] });
    await createTicket(tenant, { title: 'Second', labels: [] });
  });

  it('export: JSON is a document list, whatever the terminal and the global options', async () => {
    const result = await exportRun({}, { rt: runtime({}), tenant });
    expect(result).toMatchObject({ kind: 'list', document: true, message: 'Exported 2 tickets from acme.' });
    expect(result?.kind === 'list' && result.items.map((t: { key: string }) => t.key)).toEqual(['ACME-1', 'ACME-2']);
  });

  it('export: CSV is text, its id the document without the trailing newline', async () => {
    const result = await exportRun({ format: 'csv', limit: '1' }, { rt: runtime({}), tenant });
    expect(result).toMatchObject({ kind: 'text', message: 'Exported 1 ticket from acme.' });
    if (result?.kind !== 'text') throw new Error('not text');
    expect(result.text).toMatch(/^key,.*\nACME-1,.*First.*\n$/s);
    expect(result.id).toBe(result.text.replace(/\n$/, ''));
  });

  it('export: --json and --format csv conflict', async () => {
    const err = await failure(exportRun({ format: 'csv' }, { rt: runtime({ json: true }), tenant }));
    expect(err.message).toBe('--json and --format csv conflict');
  });

  it('delete: -y deletes without a prompt', async () => {
    const result = await deleteRun({ keys: ['ACME-1'] }, { rt: runtime({ yes: true }), tenant }, { keys: ['ACME-1'], one: true });
    expect(result).toMatchObject({ kind: 'message', message: 'Deleted ACME-1.', json: { key: 'ACME-1', deleted: true } });
    expect(asked).toEqual([]);
  });

  it('delete: asks, and a no deletes nothing', async () => {
    const err = await failure(deleteRun({ keys: ['ACME-2'] }, { rt: runtime({}, false), tenant }, { keys: ['ACME-2'], one: true }));
    expect(err.message).toBe('cancelled; nothing was deleted');
    expect(asked).toEqual(['Delete ACME-2 "Second" and its comments?']);
    const result = await deleteRun({ keys: ['ACME-2'] }, { rt: runtime({}, true), tenant }, { keys: ['ACME-2'], one: true });
    expect(result).toMatchObject({ message: 'Deleted ACME-2.' });
  });
});
