import { describe, expect, it } from 'vitest';
import { createWorld } from '../support/memory.js';
import { RecordingLogger, unscopedQueries } from '../support/sql-scope.js';

describe('the scoping checker', () => {
  it('flags a tenant query without organization_id and accepts scoped ones', () => {
    expect(
      unscopedQueries([
        { sql: 'select "id" from "tickets" where "tickets"."number" = ?', params: [1] },
        { sql: 'select "id" from "tickets" where ("tickets"."organization_id" = ? and "tickets"."number" = ?)', params: [1, 1] },
        { sql: 'insert into "labels" ("id", "organization_id", "name") values (null, ?, ?)', params: [1, 'x'] },
        { sql: 'insert into "labels" ("id", "name") values (null, ?)', params: ['x'] },
        { sql: 'select "id" from "users" where "users"."email" = ?', params: ['a'] },
      ]).map((q) => q.sql),
    ).toEqual(['select "id" from "tickets" where "tickets"."number" = ?', 'insert into "labels" ("id", "name") values (null, ?)']);
  });

  it('every statement of the foundation use cases is scoped', async () => {
    const logger = new RecordingLogger();
    const world = createWorld({ logger });
    const alice = await world.user('alice@example.com');
    const bob = await world.user('bob@example.com');
    const acme = await world.org(alice, 'Acme');
    await world.org(bob, 'Globex');
    await world.store.directory.listMemberships(alice.user.id);
    await world.tenant(alice, 'acme', 'audit:read');
    await world.tenant(bob, 'acme').catch(() => undefined);
    await acme.store.audit.list({ limit: 10, action: 'org', actorEmail: 'alice@example.com' });
    expect(logger.queries.length).toBeGreaterThan(10);
    expect(unscopedQueries(logger.queries)).toEqual([]);
    world.store.close();
  });
});

describe('attachments', () => {
  it('every statement of add, list, get, delete and the quota is scoped', async () => {
    const { createHash } = await import('node:crypto');
    const { addAttachments, deleteAttachment, listAttachments, openAttachment, setAttachmentQuota } = await import('../../src/domain/attachments.js');
    const { createTicket } = await import('../../src/domain/tickets/index.js');
    const logger = new RecordingLogger();
    const world = createWorld({ logger });
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme');
    await createTicket(acme, { title: 'one' });
    const content = Buffer.alloc(600 * 1024, 1);
    const file = { name: 'a.bin', size: content.length, type: 'application/octet-stream', sha256: createHash('sha256').update(content).digest('hex'), chunks: () => [content] };
    logger.queries.length = 0;
    await addAttachments(acme, '1', [file, { ...file, name: 'b.bin' }]);
    expect(await listAttachments(acme, '1')).toHaveLength(2);
    const { content: chunks } = await openAttachment(acme, '1', 'a.bin');
    let bytes = 0;
    for await (const c of chunks) bytes += c.length;
    expect(bytes).toBe(content.length);
    await deleteAttachment(acme, '1', 'a.bin', async () => undefined);
    await setAttachmentQuota(acme, 5 * 1024 * 1024);
    expect(logger.queries.some((q) => /attachment_chunks/.test(q.sql))).toBe(true);
    expect(unscopedQueries(logger.queries)).toEqual([]);
    world.store.close();
  });
});

describe('org archive', () => {
  it('every statement of an export and an import is scoped', async () => {
    const { exportOrgArchive, importOrgArchive } = await import('../../src/domain/archive.js');
    const { addAttachments } = await import('../../src/domain/attachments.js');
    const { createTicket, commentOnTicket } = await import('../../src/domain/tickets/index.js');
    const { createHash } = await import('node:crypto');
    const logger = new RecordingLogger();
    const world = createWorld({ logger });
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme');
    const { addStatus, setTransition } = await import('../../src/domain/workflow.js');
    await addStatus(acme, { code: 'triage', category: 'unstarted', isDefault: true });
    await setTransition(acme, 'triage', 'open', true);
    await createTicket(acme, { title: 'one', labels: ['bug'] });
    await commentOnTicket(acme, '1', 'hello');
    const content = Buffer.from('data');
    await addAttachments(acme, '1', [{ name: 'd', size: 4, type: 'text/plain', sha256: createHash('sha256').update(content).digest('hex'), chunks: () => [content] }]);
    logger.queries.length = 0;
    const lines: string[] = [];
    await exportOrgArchive(acme, (l) => void lines.push(l.trimEnd()), 0);
    const done = await importOrgArchive(world.store, alice, () => lines, { slug: 'acme-copy', key: 'COPY' }, 0);
    expect(done).toMatchObject({ tickets: 1, attachments: 1 });
    expect(logger.queries.some((q) => /insert into "attachment_chunks"/i.test(q.sql))).toBe(true);
    expect(logger.queries.some((q) => /insert into "workflow_transitions"/i.test(q.sql))).toBe(true);
    expect(unscopedQueries(logger.queries)).toEqual([]);
    world.store.close();
  });
});
