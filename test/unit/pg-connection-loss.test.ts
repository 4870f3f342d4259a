// A PostgreSQL connection lost mid-command (server restart, failover, an administrator's
// pg_terminate_backend) is the store being unreachable: exit 7 with a hint, never an internal error.
// pg reports it without an error code, then refuses every later query on that client.
import { inject, describe, expect, it } from 'vitest';
import * as tickets from '../../src/domain/tickets/index.js';
import { TktError } from '../../src/errors.js';
import { translatePgError } from '../../src/store/pg/connection.js';
import { pgSyncDb } from '../support/pg-sync.js';
import { dbUrl } from '../support/pg-server.js';
import { failure, openTestWorld } from '../support/world.js';

const LABEL = 'postgres://team@db.example/tkt';
const exitOf = (err: unknown) => (err instanceof TktError ? [err.code, err.exitCode] : ['not a TktError', String(err)]);

describe('a lost PostgreSQL connection', () => {
  it('each way pg reports it, and a server out of resources, is exit 7 naming the store', () => {
    const errors: Array<Error & { code?: string }> = [
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    ];
    for (const err of errors) {
      const translated = translatePgError(err, LABEL);
      expect(exitOf(translated), err.message).toEqual(['store', 7]);
      expect((translated as TktError).message).toContain(LABEL);
    }
    // Anything else is still not guessed at: a bug stays visible as one.
    expect(translatePgError(new Error('Cannot read properties of undefined'), LABEL)).toBeInstanceOf(Error);
    expect(translatePgError(new Error('Cannot read properties of undefined'), LABEL)).not.toBeInstanceOf(TktError);
  });

  it('a backend terminated between two commands of one process: the next one is exit 7, not an internal error', async () => {
    const world = await openTestWorld();
    try {
      const alice = await world.user('alice@example.com');
      const acme = await world.org(alice, 'Acme');
      await tickets.createTicket(acme, { title: 'before' });
      const admin = pgSyncDb(dbUrl(inject('pgCluster').adminUrl, String(world.db.prepare('SELECT current_database() AS d').get()!.d)));
      try {
        const killed = admin.prepare(`SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tkt') t`).get()!;
        expect(killed.n).toBe(1);
      } finally {
        admin.close();
      }
      for (let i = 0; i < 2; i++) {
        const err = await failure(tickets.createTicket(acme, { title: 'after' }));
        expect([err.code, err.exitCode]).toEqual(['store', 7]);
        expect(err.message).toMatch(/cannot reach the store postgres:\/\//);
      }
    } finally {
      await world.close();
    }
  });
});
