// Organization use cases that are not bound to one org yet: create, list, pick the active one.
import { conflict, usageError } from '../errors.js';
import { quoted } from '../lib/text.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';
import type { Store } from '../store/ports/store.js';
import type { TenantContext } from '../store/ports/tenant.js';
import { auditEvent } from './audit-events.js';
import type { Principal } from './auth.js';
import { enterOrg } from './guard.js';
import { OWNER_ROLE, SYSTEM_ROLES } from './permissions.js';
import * as validate from './validate.js';
import { DEFAULT_STATUSES } from './workflow-rules.js';

export async function createOrg(
  store: Store,
  principal: Principal,
  input: { name: string; slug?: string; key?: string },
): Promise<OrgRecord> {
  const name = validate.text(input.name, { field: 'name', max: 100 });
  const slug = input.slug !== undefined ? validate.slug(input.slug, '--slug') : validate.slugFromName(name);
  const ticketKey = input.key !== undefined ? validate.ticketKey(input.key) : validate.keyFromName(name);
  if (slug === undefined || ticketKey === undefined) {
    const what = [slug === undefined ? 'a slug' : '', ticketKey === undefined ? 'a ticket key' : ''].filter(Boolean).join(' and ');
    const flags = [slug === undefined ? '--slug' : '', ticketKey === undefined ? '--key' : ''].filter(Boolean).join(' and ');
    throw usageError(`${quoted(name)} has no Latin letters to make ${what} from`, `pass ${flags}, e.g. --slug tokyo --key TKY`);
  }
  const outcome = await store.directory.createOrg({
    name,
    slug,
    ticketKey,
    ownerId: principal.user.id,
    systemRoles: SYSTEM_ROLES.map((r) => ({ code: r.code, name: r.name, permissions: [...r.permissions] })),
    ownerRole: OWNER_ROLE,
    statuses: DEFAULT_STATUSES.map((s) => ({ ...s })),
    audit: auditEvent.orgCreated({ slug, name, ticketKey }),
  });
  switch (outcome.kind) {
    case 'created':
      return outcome.org;
    case 'key-taken':
      throw conflict(`the ticket key ${ticketKey} is already used by another organization`, 'pick another with --key');
    case 'slug-taken':
      throw conflict(`the slug ${slug} is already taken`, 'pick another with --slug');
  }
}

export async function listOrgs(store: Store, principal: Principal): Promise<Array<{ org: OrgRecord; role: RoleRecord }>> {
  return store.directory.listMemberships(principal.user.id);
}

/** Switching checks the membership like any command would: unknown and not-a-member look alike. */
export async function findMyOrg(store: Store, principal: Principal, slug: string): Promise<TenantContext> {
  const tenant = await enterOrg(store, principal, { ref: { slug }, source: '--org' }, 'membership');
  return tenant.ctx;
}

/** After a login: keep the saved org if this user is a member of it, else their only org, else none. */
export async function orgToKeepActive(store: Store, userId: number, savedOrgId: number | undefined): Promise<number | undefined> {
  if (savedOrgId !== undefined && (await store.directory.findMembership(userId, { id: savedOrgId }))) return savedOrgId;
  const mine = await store.directory.listMemberships(userId);
  return mine.length === 1 ? mine[0]!.org.id : undefined;
}
