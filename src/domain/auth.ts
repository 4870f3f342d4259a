// Identity use cases: sign up, log in and out, API tokens, and turning a secret into a principal.
import { forbidden, notFound, unauthenticated, usageError } from '../errors.js';
import type { Clock, UserRecord } from '../store/ports/common.js';
import type { CredentialKind, CredentialRecord, RevokedCounts } from '../store/ports/identity.js';
import type { Store } from '../store/ports/store.js';
import { decoyHash, hashLike, hashPassword, verifyPassword, type DeriveKey, type ScryptParams } from '../lib/scrypt.js';
import { sha256 } from '../lib/sha256.js';
import { DEFAULT_SCRYPT, newSecret } from './secrets.js';
import * as validate from './validate.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const TOKEN_DEFAULT_TTL_MS = 90 * 24 * 60 * 60 * 1000;
export const TOKEN_MAX_TTL_MS = 366 * 24 * 60 * 60 * 1000;

export interface AuthDeps {
  store: Store;
  clock: Clock;
  scrypt?: ScryptParams;
  /** The password key derivation; scrypt unless a test counts its calls. */
  derive?: DeriveKey;
}

/** Who is running the command, as re-read from the store. */
export interface Principal {
  user: UserRecord;
  credential: CredentialRecord;
  via: CredentialKind;
}

export interface SessionGrant {
  user: UserRecord;
  sessionToken: string;
  expiresAt: number;
}

/** A new login session for a user whose password (or invitation signup) was just checked. */
export async function startSession(deps: AuthDeps, user: UserRecord): Promise<SessionGrant> {
  const { secret, hash } = newSecret('session');
  const expiresAt = deps.clock.now() + SESSION_TTL_MS;
  await deps.store.identity.createCredential({ userId: user.id, kind: 'session', name: null, tokenHash: hash, expiresAt });
  return { user, sessionToken: secret, expiresAt };
}

export async function signup(
  deps: AuthDeps,
  input: { email: string; name: string; password: string },
): Promise<SessionGrant> {
  const email = validate.email(input.email, '--email');
  const name = validate.personName(input.name);
  const password = validate.password(input.password);
  const passwordHash = await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT, deps.derive);
  const user = await deps.store.identity.createUser({ email, name, passwordHash });
  return startSession(deps, user);
}

export async function login(deps: AuthDeps, input: { email: string; password: string }): Promise<SessionGrant> {
  const email = validate.email(input.email, '--email');
  const user = await checkPassword(deps, email, input.password);
  if (!user) throw unauthenticated('wrong email or password');
  return startSession(deps, user);
}

/**
 * The user when `password` is theirs. Exactly one key derivation whether the email is unknown, the
 * password wrong or right, so that the time a login takes does not tell who has an account. A store
 * that keeps hashes to itself (PostgreSQL) gives out only the parameters and compares itself.
 */
async function checkPassword(deps: AuthDeps, email: string, password: string): Promise<UserRecord | null> {
  const { identity } = deps.store;
  const cost = deps.scrypt ?? DEFAULT_SCRYPT;
  if (identity.passwordParams && identity.confirmPassword) {
    const candidate = await hashLike(password, await identity.passwordParams(email), cost, deps.derive);
    return identity.confirmPassword(email, candidate);
  }
  const found = await identity.findUserByEmail(email);
  const stored = found?.passwordHash ?? decoyHash(cost);
  const matches = await verifyPassword(password, stored, deps.derive);
  return found && matches ? found.user : null;
}

/**
 * Logging in (or signing up) again on the same config ends the session the new one replaces,
 * whoever it belonged to: holding its secret is the right to end it.
 */
export async function endReplacedSession(deps: AuthDeps, secret: string | undefined): Promise<void> {
  if (!secret) return;
  const found = await deps.store.identity.findCredential(sha256(secret));
  if (!found || found.credential.kind !== 'session') return;
  await deps.store.identity.revokeCredential({ userId: found.user.id, kind: 'session', id: found.credential.id });
}

/** Re-checks a session or API token secret in the store on every command. */
export async function authenticate(deps: AuthDeps, secret: string, source: 'session' | 'TKT_TOKEN'): Promise<Principal> {
  const relogin = source === 'session' ? 'run tkt auth login' : 'create a new token with tkt auth token create';
  const found = await deps.store.identity.findCredential(sha256(secret.trim()));
  if (!found) {
    throw unauthenticated(
      source === 'session' ? 'your session is not valid for this store' : 'TKT_TOKEN is not a valid token for this store',
      relogin,
    );
  }
  const { credential } = found;
  if (source === 'TKT_TOKEN' && credential.kind !== 'token') {
    throw unauthenticated(
      'TKT_TOKEN holds a login session (tkts_…); it takes API tokens (tktp_…) only',
      'create one with tkt auth token create, or unset TKT_TOKEN to use your saved session',
    );
  }
  if (source === 'session' && credential.kind !== 'session') {
    throw unauthenticated('your session is not valid for this store', relogin);
  }
  if (credential.revokedAt !== null) {
    throw unauthenticated(credential.kind === 'session' ? 'your session was logged out' : 'this API token was revoked', relogin);
  }
  if (credential.expiresAt <= deps.clock.now()) {
    throw unauthenticated(credential.kind === 'session' ? 'your session has expired' : 'this API token has expired', relogin);
  }
  await deps.store.identity.touchCredential(credential.id);
  return { user: found.user, credential, via: credential.kind };
}

/**
 * Creating API tokens, ending sessions or tokens and changing the password need a logged-in
 * session: a leaked API token must not be able to mint more tokens, lock its owner out, or outlive
 * its own revocation.
 */
function requireSession(principal: Principal, what: string): void {
  if (principal.via !== 'session') {
    throw forbidden(`${what} needs a logged-in session; an API token (TKT_TOKEN) cannot do it`, 'unset TKT_TOKEN and run tkt auth login');
  }
}

/** Ends this session. */
export async function logout(deps: AuthDeps, principal: Principal): Promise<void> {
  requireSession(principal, 'logging out');
  await deps.store.identity.revokeCredential({ userId: principal.user.id, kind: 'session', id: principal.credential.id });
}

/** Ends every session of the user, this one included; API tokens stay. Returns how many ended. */
export async function logoutEverywhere(deps: AuthDeps, principal: Principal): Promise<number> {
  requireSession(principal, 'logging out');
  return (await deps.store.identity.revokeCredentials({ userId: principal.user.id, kinds: ['session'] })).session;
}

export interface SessionView extends CredentialRecord {
  current: boolean;
}

/** The user's live sessions (not ended, not expired), newest first; `current` is the one running this command. */
export async function listSessions(deps: AuthDeps, principal: Principal): Promise<SessionView[]> {
  const now = deps.clock.now();
  const all = await deps.store.identity.listCredentials(principal.user.id, 'session');
  return all
    .filter((c) => c.revokedAt === null && c.expiresAt > now)
    .map((c) => ({ ...c, current: principal.via === 'session' && c.id === principal.credential.id }));
}

export async function revokeSession(deps: AuthDeps, principal: Principal, id: number): Promise<void> {
  requireSession(principal, 'ending a session');
  if (id === principal.credential.id) throw usageError(`session ${id} is this one`, 'end it with tkt auth logout');
  const revoked = await deps.store.identity.revokeCredential({ userId: principal.user.id, kind: 'session', id });
  if (!revoked) throw notFound(`no active session with id ${id}`, 'see tkt auth session list');
}

/** Ends every session of the user but this one. Returns how many ended. */
export async function revokeOtherSessions(deps: AuthDeps, principal: Principal): Promise<number> {
  requireSession(principal, 'ending sessions');
  const revoke = { userId: principal.user.id, kinds: ['session' as const], exceptId: principal.credential.id };
  return (await deps.store.identity.revokeCredentials(revoke)).session;
}

/**
 * Checks the current password, sets the new one and, in the same transaction, ends every other
 * session (and every API token with `revokeTokens`).
 */
export async function changePassword(
  deps: AuthDeps,
  principal: Principal,
  input: { current: string; next: string; revokeTokens: boolean },
): Promise<RevokedCounts> {
  requireSession(principal, 'changing the password');
  const next = validate.password(input.next);
  if (!(await checkPassword(deps, principal.user.email, input.current))) {
    throw unauthenticated('the current password is wrong');
  }
  if (next.normalize('NFC') === input.current.normalize('NFC')) throw usageError('the new password is the same as the current one');
  const passwordHash = await hashPassword(next, deps.scrypt ?? DEFAULT_SCRYPT, deps.derive);
  return deps.store.identity.changePassword({
    userId: principal.user.id,
    passwordHash,
    revoke: { userId: principal.user.id, kinds: input.revokeTokens ? ['session', 'token'] : ['session'], exceptId: principal.credential.id },
  });
}

export interface CreatedToken {
  id: number;
  name: string;
  token: string;
  createdAt: number;
  expiresAt: number;
}

export async function createToken(
  deps: AuthDeps,
  principal: Principal,
  input: { name: string; ttlMs?: number },
): Promise<CreatedToken> {
  requireSession(principal, 'creating an API token');
  const name = validate.text(input.name, { field: '--name', max: 100 });
  const ttl = input.ttlMs ?? TOKEN_DEFAULT_TTL_MS;
  if (ttl < 60_000 || ttl > TOKEN_MAX_TTL_MS) throw usageError('--expires must be between 1 minute and 366 days');
  const { secret, hash } = newSecret('token');
  const credential = await deps.store.identity.createCredential({
    userId: principal.user.id,
    kind: 'token',
    name,
    tokenHash: hash,
    expiresAt: deps.clock.now() + ttl,
  });
  return { id: credential.id, name, token: secret, createdAt: credential.createdAt, expiresAt: credential.expiresAt };
}

export async function listTokens(deps: AuthDeps, principal: Principal): Promise<CredentialRecord[]> {
  return deps.store.identity.listCredentials(principal.user.id, 'token');
}

export async function revokeToken(deps: AuthDeps, principal: Principal, id: number): Promise<void> {
  requireSession(principal, 'revoking an API token');
  const revoked = await deps.store.identity.revokeCredential({ userId: principal.user.id, kind: 'token', id });
  if (!revoked) throw notFound(`no active API token with id ${id}`, 'see tkt auth token list');
}
