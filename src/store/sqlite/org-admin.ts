import { eq } from 'drizzle-orm';
import type { ActorState, Decide } from '../ports/members.js';
import type { OrgAdminRepo } from '../ports/org-admin.js';
import { organizations } from '../schema.js';
import { TenantRepo } from './base.js';
import { readActor } from './members.js';
import { toOrg } from './records.js';

export class SqliteOrgAdminRepo extends TenantRepo implements OrgAdminRepo {
  rename(name: string, decide: Decide<ActorState>) {
    return this.write((tx) => {
      decide({ actor: readActor(tx, this.ctx) });
      const before = toOrg(tx.select().from(organizations).where(eq(organizations.id, this.orgId)).get()!);
      const after = toOrg(tx.update(organizations).set({ name }).where(eq(organizations.id, this.orgId)).returning().get()!);
      if (after.name !== before.name) {
        this.audit(tx, { action: 'org.rename', targetType: 'org', target: before.slug, details: { from: before.name, to: after.name } });
      }
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
