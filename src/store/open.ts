// The one way the CLI opens a store: the locator's form picks the implementation, which is imported
// only then, so that no driver loads before a command needs the store.
import type { Clock } from './ports/common.js';
import type { Store } from './ports/store.js';
import type { StoreLocator } from './locator.js';

export interface OpenStoreOptions {
  clock?: Clock;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Create the store when it is missing; without it, a missing store is exit 7 and nothing is created. */
  create?: boolean;
  /** A new SQLite store is created for a group (`db init --shared`). */
  shared?: boolean;
  /** TKT_ALLOW_NETWORK_FS=1: open a SQLite store on a network filesystem, without WAL. */
  allowNetworkFilesystem?: boolean;
  /** Told what is worth a warning (a store others can read). */
  onWarning?: (message: string) => void;
  /** PostgreSQL: `db migrate` connects as the owner (every other command refuses owner roles). */
  admin?: boolean;
  /** PostgreSQL: the application role `db migrate` creates and grants to (default tkt_app). */
  appRole?: string;
}

export async function openStore(locator: StoreLocator, options: OpenStoreOptions = {}): Promise<Store> {
  switch (locator.kind) {
    case 'sqlite': {
      const { openSqliteStore } = await import('./sqlite/store.js');
      return openSqliteStore({ path: locator.path, ...options });
    }
    case 'postgres': {
      const { openPgStore } = await import('./pg/store.js');
      return openPgStore({
        locator,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.admin ? { admin: true } : {}),
        ...(options.appRole ? { appRole: options.appRole } : {}),
      });
    }
  }
}
