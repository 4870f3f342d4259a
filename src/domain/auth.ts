// Identity use cases: sign up, log in and out, API tokens, and turning a secret into a principal.
import { notFound, unauthenticated, usageError } from '../errors.js';
import type { Clock, UserRecord } from '../store/ports/common.js';
import type { CredentialKind, CredentialRecord } from '../store/ports/identity.js';
import type { Store } from '../store/ports/store.js';
import { hashPassword, verifyPassword, type ScryptParams } from '../lib/scrypt.js';
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
  const passwordHash = await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT);
  const user = await deps.store.identity.createUser({ email, name, passwordHash });
  return startSession(deps, user);
}

// A hash to verify against when the email is unknown, so that a wrong email costs as long as a
// wrong password and login timing does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function login(deps: AuthDeps, input: { email: string; password: string }): Promise<SessionGrant> {
  const email = validate.email(input.email, '--email');
  const found = await deps.store.identity.findUserByEmail(email);
  if (!found) {
    decoyHash ??= hashPassword('decoy-password', deps.scrypt ?? DEFAULT_SCRYPT);
    await verifyPassword(input.password, await decoyHash);
    throw unauthenticated('wrong email or password');
  }
  if (!(await verifyPassword(input.password, found.passwordHash))) {
    throw unauthenticated('wrong email or password');
  }
  return startSession(deps, found.user);
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
  if (credential.revokedAt !== null) {
    throw unauthenticated(credential.kind === 'session' ? 'your session was logged out' : 'this API token was revoked', relogin);
  }
  if (credential.expiresAt <= deps.clock.now()) {
    throw unauthenticated(credential.kind === 'session' ? 'your session has expired' : 'this API token has expired', relogin);
  }
  await deps.store.identity.touchCredential(credential.id);
  return { user: found.user, credential, via: credential.kind };
}

export async function logout(deps: AuthDeps, principal: Principal): Promise<void> {
  await deps.store.identity.revokeCredential({
    userId: principal.user.id,
    kind: principal.credential.kind,
    id: principal.credential.id,
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
  const revoked = await deps.store.identity.revokeCredential({ userId: principal.user.id, kind: 'token', id });
  if (!revoked) throw notFound(`no active API token with id ${id}`, 'see tkt auth token list');
}
