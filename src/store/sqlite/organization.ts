import { eq } from 'drizzle-orm';
import type { AuditInput, Decide } from '../ports/common.js';
import type { ActorState } from '../ports/members.js';
import type { OrganizationRepo, OrgChangeState } from '../ports/organization.js';
import { organizations } from '../schema.js';
import { TenantRepo } from './base.js';
import { readActor } from './memberships.js';
import { toOrg } from './records.js';

export class SqliteOrganizationRepo extends TenantRepo implements OrganizationRepo {
  rename(name: string, decide: Decide<OrgChangeState, AuditInput | null>) {
    return this.write((tx) => {
      const row = tx.select().from(organizations).where(eq(organizations.id, this.orgId)).get();
      const before = row ? toOrg(row) : null;
      const event = decide({ actor: readActor(tx, this.ctx), org: before });
      if (!before) throw new Error(`the decide of a rename let deleted organization ${this.orgId} through`);
      if (!event) return { before, after: before };
      const after = toOrg(tx.update(organizations).set({ name }).where(eq(organizations.id, this.orgId)).returning().get()!);
      this.audit(tx, event);
      return { before, after };
    });
  }

  /**
   * Every tenant table references organizations ON DELETE CASCADE (ticket labels and comments
   * through their ticket), and the search index follows its tickets by trigger, so this one
   * statement removes the whole organization, audit log included.
   */
  delete(decide: Decide<ActorState>): Promise<void> {
    return this.write((tx) => {
      decide({ actor: readActor(tx, this.ctx) });
      tx.delete(organizations).where(eq(organizations.id, this.orgId)).run();
    });
  }
}
