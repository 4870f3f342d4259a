import type { UserRecord } from './common.js';

export type CredentialKind = 'session' | 'token';

export interface CredentialRecord {
  id: number;
  userId: number;
  kind: CredentialKind;
  name: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface NewCredential {
  userId: number;
  kind: CredentialKind;
  name: string | null;
  tokenHash: string;
  expiresAt: number;
}

/** Users, login sessions and API tokens: the part of the store that belongs to no organization. */
export interface IdentityStore {
  /** Throws conflict when the email is taken. `email` must already be normalised. */
  createUser(input: { email: string; name: string; passwordHash: string }): Promise<UserRecord>;
  findUserByEmail(email: string): Promise<{ user: UserRecord; passwordHash: string } | null>;
  /**
   * A store that keeps password hashes to itself (PostgreSQL) has these instead of handing the
   * hash out: the hash without its key (scrypt$N$r$p$salt) for tkt to derive with, and the user
   * when the derived hash is the stored one.
   */
  passwordParams?(email: string): Promise<string | null>;
  confirmPassword?(email: string, candidate: string): Promise<UserRecord | null>;
  createCredential(input: NewCredential): Promise<CredentialRecord>;
  /** The credential with this hash and its user, whatever its state (the caller judges expiry). */
  findCredential(tokenHash: string): Promise<{ user: UserRecord; credential: CredentialRecord } | null>;
  /** Records use at most once an hour, so read-only commands rarely write. */
  touchCredential(id: number): Promise<void>;
  /** Revokes one of the user's credentials of that kind; false when there is no such live one. */
  revokeCredential(input: { userId: number; kind: CredentialKind; id: number }): Promise<boolean>;
  listCredentials(userId: number, kind: CredentialKind): Promise<CredentialRecord[]>;
  /** Revokes every live credential of the user of these kinds, but `exceptId`; how many of each kind. */
  revokeCredentials(input: RevokeMany): Promise<RevokedCounts>;
  /** Replaces the password hash and, in the same transaction, revokes as revokeCredentials does. */
  changePassword(input: { userId: number; passwordHash: string; revoke: RevokeMany }): Promise<RevokedCounts>;
}

export interface RevokeMany {
  userId: number;
  kinds: CredentialKind[];
  exceptId?: number;
}

export type RevokedCounts = Record<CredentialKind, number>;
