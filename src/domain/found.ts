// What the domain says when something a command named is not there (or no longer is). The store
// reports absence as null; these are the words for it.
import { forbidden, notFound } from '../errors.js';
import type { OrgRecord } from '../store/ports/common.js';
import type { MemberRecord } from '../store/ports/members.js';

export function roleNotFound(code: string, org: OrgRecord) {
  return notFound(`no role "${code}" in ${org.slug}`, 'tkt role list shows the roles');
}

export function memberNotFound(email: string, org: OrgRecord) {
  return notFound(`no member ${email} in ${org.slug}`, 'tkt member list shows the members');
}

/** The person acting, as re-read inside the transaction: a membership that ended since the guard let them in is refused. */
export function stillMember(actor: MemberRecord | null, org: OrgRecord): MemberRecord {
  if (!actor) {
    throw forbidden(
      `you are no longer a member of ${org.slug} (you were removed, or it was deleted); nothing was changed`,
      'tkt org list shows your organizations',
    );
  }
  return actor;
}

/** Non-null, or the error. */
export function found<T>(value: T | null, missing: () => Error): T {
  if (value === null) throw missing();
  return value;
}
