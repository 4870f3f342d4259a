// One connection to a PostgreSQL store (node-postgres, loaded only when the store is PostgreSQL).
// Every operation is one transaction that presents the principal's token as the transaction-local
// setting tkt.token (never session-wide); writes lock their organization's row first, so writes
// to one org run one at a time as on SQLite, and transient failures (serialization, deadlock) are
// retried: a user never sees one.
import { createRequire } from 'node:module';
import pg from 'pg';
import { TktError, forbidden, storeError } from '../../errors.js';
import type { PostgresLocator } from '../locator.js';

// bigint columns (ids, numbers, ms times) come back as JS numbers: all stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Row = Record<string, unknown>;
export type Query = <T = Row>(text: string, params?: unknown[]) => Promise<T[]>;

const RETRIES = 20;
const TRANSIENT = new Set(['40001', '40P01', '55P03']);

export class PgConnection {
  /** The secret of the session or token this process acts as, presented in every transaction. */
  token: string | undefined;
  /** Who proved a password in this process (login, signup): user id → email and derived hash. */
  readonly proofs = new Map<number, { email: string; candidate: string }>();

  constructor(
    readonly client: pg.Client,
    readonly locator: PostgresLocator,
  ) {}

  static async open(locator: PostgresLocator): Promise<PgConnection> {
    const client = new pg.Client({ connectionString: locator.url, application_name: 'tkt' });
    // ~/.pgpass (or PGPASSFILE) when neither the URL nor PGPASSWORD gives a password, read as libpq
    // does; asked through pg's password callback, not its built-in lookup, which warns of deprecation.
    const params = (client as unknown as { connectionParameters: Record<string, unknown> }).connectionParameters;
    // pg's URL parser decodes the database name with decodeURI, which keeps %3B, %2F, %3F, %23… as
    // they are: connect to the database the locator (and libpq, and the label) names, fully decoded.
    if (locator.database !== undefined) params.database = (client as unknown as { database: string }).database = locator.database;
    if (params.password == null) {
      (client as unknown as { password: () => Promise<string | undefined> }).password = () =>
        new Promise((resolve) => {
          const pgpass = createRequire(import.meta.url)('pgpass') as (info: Record<string, unknown>, cb: (pass?: string) => void) => void;
          pgpass(params, (pass) => resolve(pass ?? ''));
        });
    }
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw translatePgError(err, locator.label);
    }
    return new PgConnection(client, locator);
  }

  /** Runs fn as one transaction with tkt.token set; `lockOrg`: the write lock of that organization. */
  async tx<T>(fn: (q: Query) => Promise<T>, options: { lockOrg?: number } = {}): Promise<T> {
    const q: Query = async <R>(text: string, params?: unknown[]) => (await this.client.query(text, params as unknown[])).rows as R[];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.query(this.opening(options.lockOrg));
        const result = await fn(q);
        await this.client.query('COMMIT');
        return result;
      } catch (err) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        const code = (err as { code?: string }).code ?? '';
        if (TRANSIENT.has(code) && attempt < RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
          continue;
        }
        throw translatePgError(err, this.locator.label);
      }
    }
  }

  /**
   * BEGIN, the token and the org's lock as ONE simple-protocol request (one round trip instead of
   * three per transaction): the token as an escaped literal, the org id as an integer literal.
   */
  private opening(lockOrg: number | undefined): string {
    const parts = ['BEGIN'];
    if (this.token !== undefined) parts.push(`SELECT set_config('tkt.token', ${this.client.escapeLiteral(this.token)}, true)`);
    if (lockOrg !== undefined) {
      if (!Number.isSafeInteger(lockOrg)) throw new TypeError(`lockOrg: not an id: ${lockOrg}`);
      parts.push(`SELECT 1 FROM organizations WHERE id = ${lockOrg} FOR UPDATE`);
    }
    return parts.join('; ');
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export function pgCode(err: unknown): string {
  return (err as { code?: unknown })?.code && typeof (err as { code: unknown }).code === 'string' ? (err as { code: string }).code : '';
}

export function isUniqueViolation(err: unknown): boolean {
  return pgCode(err) === '23505';
}

/** Failures about the store itself become exit 7 (the label never holds a password); the database's refusals exit 4. */
export function translatePgError(err: unknown, label: string): unknown {
  if (err instanceof TktError) return err;
  const code = pgCode(err);
  const message = (err as Error)?.message ?? String(err);
  if (code === '42501' || (code === 'P0001' && message.startsWith('tkt:'))) {
    return forbidden(`the database refused: ${message.replace(/^tkt: /, '')}`);
  }
  if (code === '28P01' || code === '28000') return storeError(`cannot log in to the store ${label}: ${message}`, 'check the user, PGPASSWORD or ~/.pgpass');
  if (!code && /SASL|password must be|no password/i.test(message)) {
    return storeError(`cannot log in to the store ${label}: the server asks for a password and none was given`, 'set PGPASSWORD or add it to ~/.pgpass');
  }
  if (code === '3D000') return storeError(`the store ${label} does not exist: ${message}`, 'create it with createdb, then run tkt db migrate as its owner');
  if (code === '42P01' || code === '42883') {
    return storeError(`the store ${label} is not a migrated tkt store (${message})`, 'run tkt db migrate as the database owner');
  }
  // pg reports a connection lost mid-command with no code: "Connection terminated unexpectedly",
  // then "Client has encountered a connection error and is not queryable" for every later query.
  const lost = !code && /^Connection terminated|connection error and is not queryable/.test(message);
  if (lost || /^(ECONNREFUSED|ENOTFOUND|ENOENT|ETIMEDOUT|ECONNRESET|EPIPE|EHOSTUNREACH|EAI_AGAIN)$/.test(code) || code.startsWith('08') || code.startsWith('57P')) {
    return storeError(`cannot reach the store ${label}: ${message}`, 'check that the PostgreSQL server runs and the URL (host, port, sslmode)');
  }
  // Insufficient resources (53300 too many connections, 53100 disk full, 53200 out of memory).
  if (code.startsWith('53')) return storeError(`the store ${label} cannot serve this command now: ${message}`, 'try again later, or ask its administrator');
  if (/self[- ]signed|certificate|SSL|ssl/.test(message) && !code) return storeError(`cannot connect to the store ${label}: ${message}`, 'check sslmode / PGSSLMODE');
  return err;
}
