// Creating a whole organization from an archive (org import) on PostgreSQL.
import { storeError } from '../../errors.js';
import type { ArchiveRecord, ArchiveStore, ImportOutcome, ImportPlan } from '../ports/archive.js';
import type { Clock } from '../ports/common.js';
import type { PgConnection } from './connection.js';

export class PgArchiveStore implements ArchiveStore {
  constructor(
    readonly conn: PgConnection,
    readonly clock: Clock,
  ) {}

  async importOrg(_plan: ImportPlan, _records: () => Iterable<ArchiveRecord>): Promise<ImportOutcome> {
    throw storeError('org import is not available on a PostgreSQL store yet', 'import the archive into a SQLite store');
  }
}
