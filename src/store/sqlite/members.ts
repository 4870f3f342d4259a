import { and, eq } from 'drizzle-orm';
import type { Decide } from '../ports/common.js';
import type {
  MemberRecord,
  MemberRemoval,
  MembersRepo,
  MembershipState,
  RemovalPlan,
  RoleChangePlan,
  RoleChangeState,
  TransferState,
} from '../ports/members.js';
import { memberships } from '../schema.js';
import { TenantRepo } from './base.js';
import type { Db } from './connection.js';
import {
  assignedTickets,
  assignRoles,
  countRoleHolders,
  findRole,
  memberByEmail,
  readActor,
  selectMembers,
  unassignTickets,
} from './memberships.js';

export class SqliteMembersRepo extends TenantRepo implements MembersRepo {
  list(): Promise<MemberRecord[]> {
    return this.read((db) => selectMembers(db, this.orgId));
  }

  findByEmail(email: string): Promise<MemberRecord | null> {
    return this.read((db) => memberByEmail(db, this.orgId, email));
  }

  setRole<P extends RoleChangePlan>(input: { email: string; roleCode: string }, decide: Decide<RoleChangeState, P>): Promise<P> {
    return this.write((tx) => {
      const state: RoleChangeState = { ...this.membershipState(tx, memberByEmail(tx, this.orgId, input.email)), to: findRole(tx, this.orgId, input.roleCode) };
      return this.applyRoleChange(tx, decide(state));
    });
  }

  remove(email: string, decide: Decide<MembershipState, RemovalPlan>): Promise<MemberRemoval> {
    return this.write((tx) => this.endMembership(tx, decide(this.membershipState(tx, memberByEmail(tx, this.orgId, email)))));
  }

  leave(decide: Decide<MembershipState, RemovalPlan>): Promise<MemberRemoval> {
    return this.write((tx) => this.endMembership(tx, decide(this.membershipState(tx, readActor(tx, this.ctx)))));
  }

  transferOwnership<P extends RoleChangePlan>(
    input: { email: string; to: string; formerOwnerTo: string },
    decide: Decide<TransferState, P>,
  ): Promise<P> {
    return this.write((tx) => {
      const state: TransferState = {
        ...this.membershipState(tx, memberByEmail(tx, this.orgId, input.email)),
        to: findRole(tx, this.orgId, input.to),
        formerOwnerTo: findRole(tx, this.orgId, input.formerOwnerTo),
      };
      return this.applyRoleChange(tx, decide(state));
    });
  }

  /** What every membership rule judges, read in the transaction. */
  private membershipState(tx: Db, target: MemberRecord | null): MembershipState {
    return {
      actor: readActor(tx, this.ctx),
      target,
      targetRoleHolders: target ? countRoleHolders(tx, this.orgId, target.role.id) : 0,
      assigned: target ? assignedTickets(tx, this.ctx, target.user.id) : [],
    };
  }

  private applyRoleChange<P extends RoleChangePlan>(tx: Db, plan: P): P {
    const now = this.clock.now();
    assignRoles(tx, this.orgId, plan.assign);
    for (const event of plan.audit) this.audit(tx, event, now);
    return plan;
  }

  /** Unassigns the tickets the plan names (an assignee must be a member), then deletes the membership. */
  private endMembership(tx: Db, plan: RemovalPlan): MemberRemoval {
    const now = this.clock.now();
    unassignTickets(tx, this.orgId, plan.unassign.map((t) => t.number), now);
    tx.delete(memberships)
      .where(and(eq(memberships.organizationId, this.orgId), eq(memberships.userId, plan.member.user.id)))
      .run();
    this.audit(tx, plan.audit, now);
    return { member: plan.member, unassigned: plan.unassign.map((t) => t.key) };
  }
}
