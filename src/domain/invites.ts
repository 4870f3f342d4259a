// Invitations: how people get into an organization, and so what an attacker aims at. The token is
// the secret (shown once; the store keeps its SHA-256). Each change is one store transaction that
// runs the invite rule below inside it; accepting re-checks everything create checked.
import { conflict, forbidden, isTktError, notFound, usageError } from '../errors.js';
import type { OrgRecord, RoleRecord, UserRecord } from '../store/ports/common.js';
import type {
  AcceptOutcome,
  AcceptPlan,
  AcceptState,
  InviteCreatePlan,
  InviteCreateState,
  InviteRecord,
  Invitee,
  VoidReason,
} from '../store/ports/invites.js';
import type { Store } from '../store/ports/store.js';
import { isoTime } from '../lib/time.js';
import { auditEvent } from './audit-events.js';
import { startSession, type AuthDeps, type SessionGrant } from './auth.js';
import { found, roleNotFound } from './found.js';
import { assertStillPermitted, type Tenant } from './guard.js';
import { assertMayGiveRole, assertRoleGrants } from './permissions.js';
import { hashPassword } from '../lib/scrypt.js';
import { sha256 } from '../lib/sha256.js';
import { DEFAULT_SCRYPT, newSecret, SECRET_PREFIX } from './secrets.js';
import * as validate from './validate.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const INVITE_DEFAULT_TTL_MS = 7 * DAY;
export const INVITE_MIN_TTL_MS = MINUTE;
export const INVITE_MAX_TTL_MS = 30 * DAY;
/** Per organization, over a rolling window: a stolen admin session cannot spray invitations. */
export const INVITE_RATE_LIMIT = { max: 50, windowMs: DAY } as const;

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'expired' | 'void';

/** The one invitation state machine: every decision about an invitation goes through it. */
export function inviteState(invite: InviteRecord, now: number): InviteState {
  if (invite.acceptedAt !== null) return 'accepted';
  if (invite.revokedAt !== null) return 'revoked';
  if (invite.voidReason !== null) return 'void';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

/**
 * Inviting as `role` needs member:invite and every permission of the role, and only an owner
 * makes an owner (the same rule as any other way of giving a role). The store runs it inside the
 * transaction, at create and again at accept, against the roles as they are then.
 */
export function assertMayInviteAs(inviter: RoleRecord, role: RoleRecord, org: OrgRecord): void {
  assertRoleGrants(inviter, 'member:invite', org.slug);
  assertMayGiveRole(inviter, role);
}

/**
 * Revoking or replacing an invitation is judged like giving its role: someone who could not have
 * sent it (an admin, for an owner invitation) cannot withdraw or swap it either. A role that is
 * gone leaves nothing to guard (its pending invitations were voided with it).
 */
function assertMayWithdraw(actorRole: RoleRecord, invite: InviteRecord, what: 'revoke' | 'replace'): void {
  if (!invite.role) return;
  try {
    assertMayGiveRole(actorRole, invite.role);
  } catch (err) {
    if (!isTktError(err) || err.code !== 'forbidden') throw err;
    throw forbidden(`you may not ${what} invitation ${invite.id} (as "${invite.role.code}"): ${err.message}`, err.hint ?? 'ask an owner of the organization');
  }
}

export interface CreatedInvite {
  invite: InviteRecord;
  /** The secret: shown once, never stored. */
  token: string;
  /** Ids of pending invitations to the same email that this one replaced. */
  replaced: number[];
}

/** The invite rules, judged inside the create transaction. */
function planInvite(state: InviteCreateState, input: { email: string; roleCode: string; ttlMs: number }, tenant: Tenant): InviteCreatePlan {
  const { org } = tenant.ctx;
  const { now, recent } = state;
  // The inviter's role as it is now, not as the guard saw it a moment ago; checked first, like every write's actor.
  if (!state.inviterRole) throw forbidden(`you are no longer a member of ${org.slug}`);
  assertRoleGrants(state.inviterRole, 'member:invite', org.slug);
  if (!state.role) throw roleNotFound(input.roleCode, org);
  const role = state.role;
  assertMayGiveRole(state.inviterRole, role);
  const pending = state.sameEmail.filter((i) => inviteState(i, now) === 'pending');
  for (const old of pending) assertMayWithdraw(state.inviterRole, old, 'replace');
  if (state.alreadyMember) throw conflict(`${input.email} is already a member of ${org.slug}`, 'change their role with tkt member set-role');
  const { max, windowMs } = INVITE_RATE_LIMIT;
  if (recent.length >= max) {
    throw conflict(
      `${org.slug} has sent ${max} invitations in the last 24 hours, the most allowed`,
      `the next one is possible at ${isoTime(recent[recent.length - max]! + windowMs)}`,
    );
  }
  const expiresAt = now + input.ttlMs;
  const replaced = pending.map((i) => i.id);
  return {
    role,
    expiresAt,
    replace: { ids: replaced, reason: 'replaced' },
    audit: (id) => [
      ...replaced.map((old) => auditEvent.inviteReplaced(old, input.email, id)),
      auditEvent.inviteCreated(id, input.email, role.code, isoTime(expiresAt)!),
    ],
  };
}

export async function createInvite(
  tenant: Tenant,
  input: { email: string; role: string; ttlMs?: number },
): Promise<CreatedInvite> {
  const email = validate.email(input.email, 'email');
  const roleCode = validate.text(input.role, { field: '--role', max: 50 });
  const ttlMs = input.ttlMs ?? INVITE_DEFAULT_TTL_MS;
  if (ttlMs < INVITE_MIN_TTL_MS || ttlMs > INVITE_MAX_TTL_MS) throw usageError('--expires must be between 1 minute and 30 days');
  const { secret, hash } = newSecret('invite');
  const created = await tenant.store.invites.create(
    { email, roleCode, tokenHash: hash, recentWindowMs: INVITE_RATE_LIMIT.windowMs },
    (state) => planInvite(state, { email, roleCode, ttlMs }, tenant),
  );
  return { invite: created.invite, token: secret, replaced: created.replaced };
}

/** Newest first; only pending ones unless `all`. */
export async function listInvites(tenant: Tenant, options: { all: boolean }): Promise<InviteRecord[]> {
  const { invites, now } = await tenant.store.invites.list();
  return options.all ? invites : invites.filter((i) => inviteState(i, now) === 'pending');
}

export async function revokeInvite(tenant: Tenant, id: number, now: number): Promise<InviteRecord> {
  const { org } = tenant.ctx;
  return tenant.store.invites.revoke(id, (state) => {
    const me = assertStillPermitted(state.actor, org, 'member:invite');
    const invite = found(state.invite, () => notFound(`no invitation ${id} in ${org.slug}`, 'tkt invite list --all shows them'));
    assertMayWithdraw(me.role, invite, 'revoke');
    if (inviteState(invite, state.now) !== 'pending') {
      throw conflict(`invitation ${id} is already ${inviteState(invite, now)}; there is nothing to revoke`);
    }
    return auditEvent.inviteRevoked(id, invite.email, invite.roleCode);
  });
}

export interface Joined {
  org: OrgRecord;
  role: RoleRecord;
  user: UserRecord;
}

/** The logged-in user accepts; the token's email must be theirs. */
export async function acceptInvite(store: Store, user: UserRecord, token: string): Promise<Joined> {
  return accept(store, tokenHash(token), { userId: user.id }, user.email);
}

/** Signs up and joins in one transaction: when the invitation fails, no account is created. */
export async function signupWithInvite(
  deps: AuthDeps,
  input: { email: string; name: string; password: string; token: string },
): Promise<Joined & { grant: SessionGrant }> {
  const email = validate.email(input.email, '--email');
  const name = validate.personName(input.name);
  const password = validate.password(input.password);
  const hash = tokenHash(input.token);
  const passwordHash = await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT);
  const joined = await accept(deps.store, hash, { newUser: { email, name, passwordHash } }, email);
  return { ...joined, grant: await startSession(deps, joined.user) };
}

function tokenHash(token: string): string {
  const trimmed = token.trim();
  if (!trimmed.startsWith(SECRET_PREFIX.invite)) {
    throw usageError('that is not an invitation token', `invitation tokens start with ${SECRET_PREFIX.invite}`);
  }
  return sha256(trimmed);
}

/** Accepting re-checks what inviting checked: the role may be gone, the inviter may have left or lost permissions. */
function planAccept(state: AcceptState, invitee: Invitee): AcceptPlan {
  const { invite, now } = state;
  // The email first, whatever the state: someone else holding the token learns nothing about the
  // invitation (not its org, inviter, state or times), and a mismatch writes nothing, so the
  // invitation stays usable by the right person.
  const inviteeEmail = 'userId' in invitee ? state.user?.email : invitee.newUser.email;
  if (inviteeEmail === undefined || !validate.sameEmail(inviteeEmail, invite.email)) return { kind: 'wrong-email' };
  const current = inviteState(invite, now);
  if (current !== 'pending') return { kind: current === 'accepted' ? 'used' : current };
  if ('userId' in invitee) {
    if (state.alreadyMember) return { kind: 'already-member' };
  } else if (state.emailTaken) {
    return { kind: 'email-taken' };
  }
  const voided = (reason: Exclude<VoidReason, 'replaced'>): AcceptPlan => ({
    kind: 'voided',
    reason,
    // Nobody chose to void it; the attempt to accept did. A person signing up has no account
    // (none is created), so the event is then recorded under the inviter.
    actorId: state.user?.id ?? state.inviterId,
    audit: auditEvent.inviteVoided(invite.id, invite.email, invite.roleCode, reason),
  });
  const role = invite.role;
  if (!role) return voided('role-deleted');
  if (!state.inviterRole) return voided('inviter-left');
  try {
    assertMayInviteAs(state.inviterRole, role, state.org);
  } catch (err) {
    if (!isTktError(err)) throw err;
    return voided('inviter-lacks-permission');
  }
  return { kind: 'accept', role, audit: auditEvent.inviteAccepted(invite.id, invite.email, invite.roleCode) };
}

async function accept(store: Store, hash: string, invitee: Invitee, email: string): Promise<Joined> {
  const outcome = await store.invites.accept({ tokenHash: hash, invitee }, (state) => planAccept(state, invitee));
  if (outcome.kind === 'accepted') return { org: outcome.org, role: outcome.role, user: outcome.user };
  throw acceptFailure(outcome, email, 'newUser' in invitee);
}

const ASK_AGAIN = 'ask the organization for a new invitation';

function acceptFailure(outcome: Exclude<AcceptOutcome, { kind: 'accepted' }>, email: string, signingUp: boolean) {
  switch (outcome.kind) {
    case 'unknown':
      return notFound('no such invitation', `check that you copied the whole token, or ${ASK_AGAIN}`);
    case 'used':
      return conflict(`this invitation was already used (accepted ${iso(outcome.invite.acceptedAt)})`, ASK_AGAIN);
    case 'revoked':
      return outcome.invite.voidReason === 'replaced'
        ? conflict('this invitation was revoked: a newer invitation to the same email replaced it', 'use the newest token you were sent')
        : conflict(`this invitation was revoked (${iso(outcome.invite.revokedAt)})`, ASK_AGAIN);
    case 'expired':
      return conflict(`this invitation expired (${iso(outcome.invite.expiresAt)})`, ASK_AGAIN);
    case 'void':
    case 'voided':
      return conflict(
        `this invitation ${outcome.kind === 'void' ? 'is' : 'is now'} void: ${voidExplanation(outcome.invite, outcome.org)}`,
        ASK_AGAIN,
      );
    case 'wrong-email':
      return forbidden(
        `this invitation was sent to another email address, not ${email}`,
        signingUp ? 'sign up with the address the invitation was sent to' : 'log in as the invited person, or ask for an invitation to your address',
      );
    case 'already-member':
      return conflict(`you are already a member of ${outcome.org.slug}`, `tkt org switch ${outcome.org.slug}`);
    case 'email-taken':
      return conflict(`a user with email ${email} already exists`, 'log in with tkt auth login, then run tkt invite accept <token>');
  }
}

function voidExplanation(invite: InviteRecord, org: OrgRecord): string {
  const reasons: Record<VoidReason, string> = {
    replaced: 'a newer invitation to the same email replaced it',
    'role-deleted': `the role "${invite.roleCode}" no longer exists in ${org.slug}`,
    'inviter-left': `${invite.inviter.email}, who sent it, is no longer a member of ${org.slug}`,
    'inviter-lacks-permission': `${invite.inviter.email}, who sent it, may no longer invite as "${invite.roleCode}"`,
  };
  return invite.voidReason ? reasons[invite.voidReason] : 'it can no longer be used';
}

function iso(ms: number | null): string {
  return isoTime(ms) ?? 'unknown time';
}
