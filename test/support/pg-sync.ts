// A synchronous raw connection to a PostgreSQL database, for the model tests' observer
// (test/support/model/observe.ts reads the store after every step, synchronously, as it does with
// better-sqlite3). psql per statement (raw-store.ts) costs a process each: far too slow for
// thousands of steps. Here one node-postgres connection lives in a worker thread; the caller posts a
// statement and blocks on Atomics.wait until the worker answers. Same small API as RawDb (? params).
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { bind, type RawDb } from './raw-store.js';

const WORKER = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
pg.types.setTypeParser(20, (v) => Number(v));
const { port, flag, url } = workerData;
const client = new pg.Client({ connectionString: url, application_name: 'tkt-test-observer' });
const ready = client.connect();
const prepared = new Map();
const seen = new Set();
const answer = (id, msg) => { port.postMessage({ ...msg, id }); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
port.on('message', async ({ id, sql, end }) => {
  try {
    await ready;
    if (end) { await client.end(); answer(id, { rows: [] }); return; }
    // A statement seen before runs as a named prepared statement: planned once per connection
    // (the observer's state and dump queries are big, and run after every step).
    let name = prepared.get(sql);
    if (name === undefined && seen.has(sql) && prepared.size < 100 && !sql.includes(';')) prepared.set(sql, (name = 's' + prepared.size));
    seen.add(sql);
    const r = await client.query(name === undefined ? sql : { name, text: sql });
    answer(id, { rows: r.rows, count: r.rowCount ?? 0 });
  } catch (err) {
    answer(id, { error: String(err && err.message || err) + '\\n' + sql });
  }
});
`;

export interface SyncPgDb extends RawDb {
  close(): void;
}

export function pgSyncDb(url: string): SyncPgDb {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const pgPath = createRequire(import.meta.url).resolve('pg');
  const worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag, url, pgPath }, transferList: [port2] });
  worker.unref();
  let closed = false;

  let calls = 0;
  /** Posts a statement and blocks until its answer (an answer to an earlier call that timed out is dropped). */
  const call = (message: { sql?: string; end?: boolean }): { rows: any[]; count: number } => {
    if (closed) throw new Error('pgSyncDb: closed');
    const id = ++calls;
    Atomics.store(flag, 0, 0);
    port1.postMessage({ ...message, id });
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (let got = receiveMessageOnPort(port1); got; got = receiveMessageOnPort(port1)) {
        const reply = got.message as { id: number; rows: any[]; count: number; error?: string };
        if (reply.id !== id) continue;
        if (reply.error) throw new Error(reply.error);
        return reply;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`pgSyncDb: no answer in 30 s to ${message.sql ?? 'end'}`);
      Atomics.wait(flag, 0, 0, left);
      Atomics.store(flag, 0, 0);
    }
  };

  return {
    dialect: 'postgres',
    prepare: (sql) => ({
      get: (...params) => call({ sql: bind(sql, params) }).rows[0],
      all: (...params) => call({ sql: bind(sql, params) }).rows,
      run: (...params) => ({ changes: call({ sql: bind(sql, params) }).count }),
    }),
    transaction: (fn) => () => fn(),
    close() {
      if (closed) return;
      try {
        call({ end: true });
      } finally {
        closed = true;
        port1.close();
        void worker.terminate();
      }
    },
  };
}
