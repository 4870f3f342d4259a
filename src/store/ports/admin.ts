export interface MigrationState {
  tag: string;
  appliedAt: number | null;
  /** The file's hash differs from the one recorded when it was applied. */
  modified: boolean;
}

export interface StoreStatus {
  /** The store's label: a path, or a URL without its password. */
  store: string;
  schemaVersion: string | null;
  latestVersion: string;
  pending: string[];
  migrations: MigrationState[];
  /** What only a SQLite store has. */
  sqlite?: SqliteDetails;
}

export interface SqliteDetails {
  path: string;
  journalMode: string;
  sizeBytes: number;
  /** The store file's mode ("0660"), owner and group (names); null for an in-memory store. */
  file: { mode: string; owner: string; group: string } | null;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  problems: string[];
}

/** Store-wide maintenance: schema status, migrations, consistency checks. */
export interface AdminStore {
  /** Exit 7 naming what is wrong when the store is damaged (corrupt pages, schema out of step). */
  status(): Promise<StoreStatus>;
  /** No account yet (the demo fills only an empty store). */
  isEmpty(): Promise<boolean>;
  /** Applies pending migrations (open already does); returns the tags applied. */
  migrate(): Promise<string[]>;
  /** `quick`: skips what reads all content (the SHA-256 of every attachment). */
  check(options?: { quick?: boolean }): Promise<CheckResult[]>;
}
