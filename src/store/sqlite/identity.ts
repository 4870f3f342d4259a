import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { conflict } from '../../errors.js';
import type { UserRecord } from '../ports/common.js';
import type { CredentialKind, CredentialRecord, IdentityStore, NewCredential, RevokedCounts, RevokeMany } from '../ports/identity.js';
import { credentials, users } from '../schema.js';
import { SqliteRepo } from './base.js';
import type { Db } from './connection.js';
import { isUniqueViolation } from './connection.js';
import { toUser } from './records.js';

const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

type CredentialRow = Omit<typeof credentials.$inferSelect, 'tokenHash'>;

function toCredential(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    userId: row.userId,
    kind: row.kind,
    name: row.name,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export class SqliteIdentityStore extends SqliteRepo implements IdentityStore {
  /** last_used_at of the credentials findCredential read, so that the touch after it needs no read. */
  private readonly lastUsed = new Map<number, number | null>();

  createUser(input: { email: string; name: string; passwordHash: string }): Promise<UserRecord> {
    return this.write((tx) => {
      try {
        const row = tx
          .insert(users)
          .values({ ...input, createdAt: this.clock.now() })
          .returning()
          .get();
        return toUser(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`a user with email ${input.email} already exists`, 'log in with tkt auth login');
        throw err;
      }
    });
  }

  findUserByEmail(email: string): Promise<{ user: UserRecord; passwordHash: string } | null> {
    return this.read((db) => {
      const row = db.select().from(users).where(eq(users.email, email)).get();
      return row ? { user: toUser(row), passwordHash: row.passwordHash } : null;
    });
  }

  createCredential(input: NewCredential): Promise<CredentialRecord> {
    return this.write((tx) =>
      toCredential(
        tx
          .insert(credentials)
          .values({ ...input, createdAt: this.clock.now() })
          .returning()
          .get(),
      ),
    );
  }

  findCredential(tokenHash: string): Promise<{ user: UserRecord; credential: CredentialRecord } | null> {
    // Every authenticated command runs this once: written out, it skips drizzle's query builder
    // and row mapping, which cost more than the lookup itself.
    return this.read((db) => {
      const row = db.get<CredentialRow & { email: string; userName: string; userCreatedAt: number }>(sql`
        SELECT "credentials"."id" AS id, "credentials"."user_id" AS userId, "credentials"."kind" AS kind,
          "credentials"."name" AS name, "credentials"."created_at" AS createdAt, "credentials"."expires_at" AS expiresAt,
          "credentials"."revoked_at" AS revokedAt, "credentials"."last_used_at" AS lastUsedAt,
          "users"."email" AS email, "users"."name" AS userName, "users"."created_at" AS userCreatedAt
        FROM "credentials" INNER JOIN "users" ON "users"."id" = "credentials"."user_id"
        WHERE "credentials"."token_hash" = ${tokenHash}`);
      if (!row) return null;
      this.lastUsed.set(row.id, row.lastUsedAt);
      return {
        user: { id: row.userId, email: row.email, name: row.userName, createdAt: row.userCreatedAt },
        credential: toCredential(row),
      };
    });
  }

  async touchCredential(id: number): Promise<void> {
    const now = this.clock.now();
    let lastUsedAt = this.lastUsed.get(id);
    if (lastUsedAt === undefined) {
      const row = await this.read((db) =>
        db.select({ lastUsedAt: credentials.lastUsedAt }).from(credentials).where(eq(credentials.id, id)).get(),
      );
      if (!row) return;
      lastUsedAt = row.lastUsedAt;
    }
    if (lastUsedAt !== null && now - lastUsedAt < TOUCH_INTERVAL_MS) return;
    // Never backwards: another process, its clock a little ahead, may have touched it meanwhile.
    await this.write((tx) =>
      tx.update(credentials).set({ lastUsedAt: now }).where(and(eq(credentials.id, id), or(isNull(credentials.lastUsedAt), lt(credentials.lastUsedAt, now)))).run(),
    );
    this.lastUsed.set(id, now);
  }

  revokeCredential(input: { userId: number; kind: CredentialKind; id: number }): Promise<boolean> {
    return this.write((tx) => {
      const result = tx
        .update(credentials)
        .set({ revokedAt: this.clock.now() })
        .where(
          and(
            eq(credentials.id, input.id),
            eq(credentials.userId, input.userId),
            eq(credentials.kind, input.kind),
            isNull(credentials.revokedAt),
          ),
        )
        .run();
      return result.changes > 0;
    });
  }

  listCredentials(userId: number, kind: CredentialKind): Promise<CredentialRecord[]> {
    return this.read((db) =>
      db
        .select()
        .from(credentials)
        .where(and(eq(credentials.userId, userId), eq(credentials.kind, kind)))
        .orderBy(desc(credentials.createdAt), desc(credentials.id))
        .all()
        .map(toCredential),
    );
  }

  revokeCredentials(input: RevokeMany): Promise<RevokedCounts> {
    return this.write((tx) => this.revokeMany(tx, input));
  }

  changePassword(input: { userId: number; passwordHash: string; revoke: RevokeMany }): Promise<RevokedCounts> {
    return this.write((tx) => {
      tx.update(users).set({ passwordHash: input.passwordHash }).where(eq(users.id, input.userId)).run();
      return this.revokeMany(tx, input.revoke);
    });
  }

  private revokeMany(tx: Db, input: RevokeMany): RevokedCounts {
    const counts: RevokedCounts = { session: 0, token: 0 };
    if (input.kinds.length === 0) return counts;
    const now = this.clock.now();
    const rows = tx
      .update(credentials)
      .set({ revokedAt: now })
      .where(
        and(
          eq(credentials.userId, input.userId),
          inArray(credentials.kind, input.kinds),
          isNull(credentials.revokedAt),
          gt(credentials.expiresAt, now),
          input.exceptId !== undefined ? ne(credentials.id, input.exceptId) : undefined,
        ),
      )
      .returning({ kind: credentials.kind })
      .all();
    for (const row of rows) counts[row.kind]++;
    return counts;
  }
}
