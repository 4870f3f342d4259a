import { inviteState } from '../../domain/invites.js';
import { isoTime } from '../../output/types.js';
import type { InviteRecord } from '../../store/ports/invites.js';

export const INVITE_FIELDS = [
  'id',
  'email',
  'role',
  'state',
  'reason',
  'invitedBy',
  'createdAt',
  'expiresAt',
  'acceptedAt',
  'acceptedBy',
  'revokedAt',
] as const;

/** Never carries the token: the store does not have it. */
export function inviteView(invite: InviteRecord, now: number) {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.roleCode,
    state: inviteState(invite, now),
    reason: invite.voidReason,
    invitedBy: invite.inviter,
    createdAt: isoTime(invite.createdAt),
    expiresAt: isoTime(invite.expiresAt),
    acceptedAt: isoTime(invite.acceptedAt),
    acceptedBy: invite.acceptedBy,
    revokedAt: isoTime(invite.revokedAt),
  };
}
