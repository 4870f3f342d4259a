// Two ways to perform an action: through the domain layer (the use cases behind each command,
// entered through the tenant guard with the requirement the command declares), or through the
// built CLI as a real process. Both return the exit code, the output normalised to one shape, and
// the raw output (what is scanned for other organizations' data).
import { createHash } from 'node:crypto';
import * as attachments from '../../../src/domain/attachments.js';
import type { Principal } from '../../../src/domain/auth.js';
import * as audit from '../../../src/domain/audit.js';
import { enterOrg, type Requirement, type Tenant } from '../../../src/domain/guard.js';
import * as invites from '../../../src/domain/invites.js';
import * as members from '../../../src/domain/members.js';
import * as orgAdmin from '../../../src/domain/org-admin.js';
import * as orgs from '../../../src/domain/orgs.js';
import * as roles from '../../../src/domain/roles.js';
import * as tickets from '../../../src/domain/tickets/index.js';
import { exportTickets } from '../../../src/domain/tickets/transfer.js';
import * as workflow from '../../../src/domain/workflow.js';
import { isTktError } from '../../../src/errors.js';
import type { Store } from '../../../src/store/ports/store.js';
import type { Person } from '../cli.js';
import type { Action, Output, TicketRow, WriteAction } from './model.js';

export interface Observation {
  exit: number;
  output?: Output;
  /** Everything the command showed as data (JSON of the result, or the CLI's stdout). */
  raw: string;
  /** The CLI's stderr (for failure messages). */
  stderr?: string;
}

export interface Runner {
  run(action: Action): Promise<Observation>;
  /**
   * Runs `write`, and `meanwhile` where it waits: after its guard (input), or at its confirmation
   * (a delete); after it, when the guard refused.
   */
  interleave(write: WriteAction, meanwhile: () => Promise<void>): Promise<Observation>;
}

const UNKNOWN_TOKEN = `tkti_${'A'.repeat(43)}`;

interface TicketLike {
  key: string;
  title: string;
  status: string;
  priority: string;
  assignee: { email: string } | null;
  labels: string[];
}

const ticketRow = (t: TicketLike): TicketRow => ({
  key: t.key,
  title: t.title,
  status: t.status,
  priority: t.priority,
  assignee: t.assignee?.email ?? null,
  labels: t.labels,
});

// ---- the domain layer ----

/** The invitation states as `invite list` shows them. */
function inviteState(i: { acceptedAt: number | null; revokedAt: number | null; voidReason: string | null; expiresAt: number }, now: number) {
  if (i.acceptedAt !== null) return 'accepted';
  if (i.revokedAt !== null) return 'revoked';
  if (i.voidReason !== null) return 'void';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

/**
 * Calls the use cases the commands call, entering the org through the guard with the requirement
 * each command declares (see the contract's tables), and keeps each person's active org the way
 * the CLI's config does.
 */
export class DomainRunner implements Runner {
  /** The active org id each person's config would hold. */
  private readonly activeOrg = new Map<string, number>();
  /** During an interleaving: what happens where the write waits. */
  private waiting: { at: 'guard' | 'prompt'; meanwhile: () => Promise<void> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly principals: ReadonlyMap<string, Principal>,
    private readonly now: () => number,
  ) {}

  async interleave(write: WriteAction, meanwhile: () => Promise<void>): Promise<Observation> {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      this.waiting = undefined;
      await meanwhile();
    };
    this.waiting = { at: write.kind === 'ticket.delete' ? 'prompt' : 'guard', meanwhile: once };
    try {
      return await this.run(write);
    } finally {
      this.waiting = undefined;
      await once();
    }
  }

  /** Where a command waits: the interleaving's change happens now when it waits there. */
  private async wait(at: 'guard' | 'prompt'): Promise<void> {
    if (this.waiting?.at === at) await this.waiting.meanwhile();
  }

  async run(action: Action): Promise<Observation> {
    try {
      const { result, output } = await this.perform(action);
      return { exit: output.type === 'access' && !output.allowed ? 4 : 0, output, raw: JSON.stringify(result) ?? '' };
    } catch (err) {
      if (!isTktError(err)) throw err;
      return { exit: err.exitCode, raw: '', stderr: err.message };
    }
  }

  private principal(email: string): Principal {
    const p = this.principals.get(email);
    if (!p) throw new Error(`no principal for ${email}`);
    return p;
  }

  private async tenant(actor: string, slug: string, requirement: Requirement, source: '--org' | 'argument' = '--org'): Promise<Tenant> {
    const tenant = await enterOrg(this.store, this.principal(actor), { ref: { slug }, source }, requirement);
    await this.wait('guard');
    return tenant;
  }

  private forget(actor: string, orgId: number): void {
    if (this.activeOrg.get(actor) === orgId) this.activeOrg.delete(actor);
  }

  private async perform(a: Action): Promise<{ result: unknown; output: Output }> {
    const none = { type: 'none' } as const;
    switch (a.kind) {
      case 'idle':
      case 'wait':
        return { result: null, output: none };
      case 'interleave':
        throw new Error('an interleaving runs through interleave()');
      case 'org.create': {
        const org = await orgs.createOrg(this.store, this.principal(a.actor), { name: a.name, slug: a.slug, key: a.key });
        this.activeOrg.set(a.actor, org.id);
        return { result: org, output: { type: 'org', slug: org.slug, name: org.name } };
      }
      case 'org.switch': {
        const ctx = await orgs.findMyOrg(this.store, this.principal(a.actor), a.slug);
        this.activeOrg.set(a.actor, ctx.org.id);
        return { result: ctx, output: { type: 'org', slug: ctx.org.slug, name: ctx.org.name, role: ctx.role.code } };
      }
      case 'org.current': {
        const id = this.activeOrg.get(a.actor);
        const t = await enterOrg(this.store, this.principal(a.actor), id !== undefined ? { ref: { id }, source: 'config' } : undefined, 'membership');
        return { result: t.ctx, output: { type: 'org', slug: t.ctx.org.slug, name: t.ctx.org.name, role: t.ctx.role.code } };
      }
      case 'org.list': {
        const mine = await orgs.listOrgs(this.store, this.principal(a.actor));
        return { result: mine, output: { type: 'orgs', items: mine.map((m) => ({ slug: m.org.slug, role: m.role.code })) } };
      }
      case 'org.rename': {
        const { after } = await orgAdmin.renameOrg(await this.tenant(a.actor, a.slug, 'org:update'), a.name);
        return { result: after, output: { type: 'org', slug: after.slug, name: after.name } };
      }
      case 'org.transfer':
        return { result: await orgAdmin.transferOrg(await this.tenant(a.actor, a.slug, 'membership'), a.target), output: none };
      case 'org.leave': {
        const t = await this.tenant(a.actor, a.slug, 'membership');
        const left = await orgAdmin.leaveOrg(t);
        this.forget(a.actor, t.ctx.org.id);
        return { result: left, output: none };
      }
      case 'org.delete': {
        const t = await this.tenant(a.actor, a.slug, 'org:delete', 'argument');
        await orgAdmin.deleteOrg(t);
        this.forget(a.actor, t.ctx.org.id);
        return { result: null, output: none };
      }
      case 'member.list': {
        const list = await members.listMembers(await this.tenant(a.actor, a.slug, 'member:read'));
        return { result: list, output: { type: 'members', items: list.map((m) => ({ email: m.user.email, role: m.role.code })) } };
      }
      case 'member.setRole': {
        const r = await members.setMemberRole(await this.tenant(a.actor, a.slug, 'member:role'), { email: a.target, role: a.role });
        return { result: r, output: { type: 'member', email: r.member.user.email, role: r.member.role.code } };
      }
      case 'member.remove':
        return { result: await members.removeMember(await this.tenant(a.actor, a.slug, 'member:remove'), a.target), output: none };
      case 'access.check': {
        const t = await this.tenant(a.actor, a.slug, 'membership');
        const answer = await members.checkAccess(t, { permission: a.permission, ...(a.user !== undefined ? { email: a.user } : {}) });
        return { result: answer, output: { type: 'access', allowed: answer.allowed, role: answer.role } };
      }
      case 'role.list': {
        const list = await roles.listRoles(await this.tenant(a.actor, a.slug, 'role:read'));
        return { result: list, output: { type: 'roles', items: list.map((r) => ({ code: r.code, permissions: r.permissions })) } };
      }
      case 'role.show': {
        const r = await roles.showRole(await this.tenant(a.actor, a.slug, 'role:read'), a.role);
        return { result: r, output: { type: 'roles', items: [{ code: r.code, permissions: r.permissions }] } };
      }
      case 'role.create': {
        const t = await this.tenant(a.actor, a.slug, 'role:manage');
        const r = await roles.createRole(t, { code: a.role, name: a.name, permissions: a.permissions.join(',') });
        return { result: r, output: { type: 'roles', items: [{ code: r.code, permissions: r.permissions }] } };
      }
      case 'role.edit': {
        const t = await this.tenant(a.actor, a.slug, 'role:manage');
        const { after } = await roles.editRole(t, a.role, {
          ...(a.name !== undefined ? { name: a.name } : {}),
          ...(a.permissions !== undefined ? { permissions: a.permissions.join(',') } : {}),
        });
        return { result: after, output: { type: 'roles', items: [{ code: after.code, permissions: after.permissions }] } };
      }
      case 'role.delete':
        return { result: await roles.deleteRole(await this.tenant(a.actor, a.slug, 'role:manage'), a.role, a.reassign), output: none };
      case 'invite.create': {
        const created = await invites.createInvite(await this.tenant(a.actor, a.slug, 'member:invite'), { email: a.email, role: a.role });
        const { invite, token } = created;
        return { result: created, output: { type: 'invite', id: invite.id, email: invite.email, role: invite.roleCode, token } };
      }
      case 'invite.list': {
        const list = await invites.listInvites(await this.tenant(a.actor, a.slug, 'member:invite'), { all: a.all });
        const items = list.map((i) => ({ id: i.id, email: i.email, state: inviteState(i, this.now()) }));
        return { result: list, output: { type: 'invites', items } };
      }
      case 'invite.revoke': {
        const i = await invites.revokeInvite(await this.tenant(a.actor, a.slug, 'member:invite'), a.id, this.now());
        return { result: i, output: { type: 'invites', items: [{ id: i.id, email: i.email, state: inviteState(i, this.now()) }] } };
      }
      case 'invite.accept': {
        const joined = await invites.acceptInvite(this.store, this.principal(a.actor).user, a.invite?.token ?? UNKNOWN_TOKEN);
        this.activeOrg.set(a.actor, joined.org.id);
        return { result: joined, output: { type: 'org', slug: joined.org.slug, name: joined.org.name, role: joined.role.code } };
      }
      case 'ticket.create': {
        const t = await tickets.createTicket(await this.tenant(a.actor, a.slug, 'ticket:create'), {
          title: a.title,
          ...(a.body !== undefined ? { body: a.body } : {}),
          priority: a.priority,
          ...(a.assignee !== undefined ? { assignee: a.assignee } : {}),
          labels: a.labels,
        });
        return { result: t, output: { type: 'ticket', ticket: ticketRow(t) } };
      }
      case 'ticket.edit': {
        const change = await tickets.editTicket(await this.tenant(a.actor, a.slug, 'ticket:update'), a.ref.text, {
          ...(a.title !== undefined ? { title: a.title } : {}),
          ...(a.priority !== undefined ? { priority: a.priority } : {}),
          addLabels: a.addLabel !== undefined ? [a.addLabel] : [],
          removeLabels: a.removeLabel !== undefined ? [a.removeLabel] : [],
        });
        return { result: change, output: { type: 'ticket', ticket: ticketRow(change.after) } };
      }
      case 'ticket.assign': {
        const change = await tickets.assignTicket(await this.tenant(a.actor, a.slug, 'ticket:assign'), a.ref.text, a.who);
        return { result: change, output: { type: 'ticket', ticket: ticketRow(change.after) } };
      }
      case 'ticket.unassign': {
        const change = await tickets.unassignTicket(await this.tenant(a.actor, a.slug, 'ticket:assign'), a.ref.text);
        return { result: change, output: { type: 'ticket', ticket: ticketRow(change.after) } };
      }
      case 'ticket.move': {
        const change = await tickets.moveTicket(await this.tenant(a.actor, a.slug, 'ticket:update'), a.ref.text, a.status);
        return { result: change, output: { type: 'ticket', ticket: ticketRow(change.after) } };
      }
      case 'ticket.comment': {
        const r = await tickets.commentOnTicket(await this.tenant(a.actor, a.slug, 'ticket:comment'), a.ref.text, a.body);
        return { result: r, output: { type: 'comment', key: r.ticket.key } };
      }
      case 'ticket.delete': {
        const t = await tickets.deleteTicket(await this.tenant(a.actor, a.slug, 'ticket:delete'), a.ref.text, async () => {
          await this.wait('prompt');
          return true;
        });
        return { result: t, output: { type: 'deleted', key: t.key } };
      }
      case 'ticket.list':
      case 'ticket.search': {
        const filters: tickets.TicketFilters =
          a.kind === 'ticket.search'
            ? { search: a.word }
            : {
                ...(a.status !== undefined ? { statuses: [a.status] } : {}),
                ...(a.assignee !== undefined ? { assignee: a.assignee } : {}),
                ...(a.label !== undefined ? { labels: [a.label] } : {}),
              };
        const list = await tickets.listTickets(await this.tenant(a.actor, a.slug, 'ticket:read'), filters, { limit: 0 });
        return { result: list, output: { type: 'tickets', items: list.map(ticketRow) } };
      }
      case 'ticket.export': {
        const list = await exportTickets(await this.tenant(a.actor, a.slug, 'ticket:read'), {});
        return { result: list, output: { type: 'tickets', items: list.map(ticketRow) } };
      }
      case 'ticket.view': {
        const view = await tickets.viewTicket(await this.tenant(a.actor, a.slug, 'ticket:read'), a.ref.text);
        return {
          result: view,
          output: { type: 'ticket', ticket: ticketRow(view.ticket), comments: view.comments.length, history: view.history.length },
        };
      }
      case 'attachment.add': {
        const content = Buffer.from(a.content);
        const file = { name: a.name, size: content.length, type: 'text/plain', sha256: createHash('sha256').update(content).digest('hex'), chunks: () => [content] };
        const r = await attachments.addAttachments(await this.tenant(a.actor, a.slug, 'ticket:comment'), a.ref.text, [file]);
        return { result: r, output: { type: 'attachments', items: r.attachments.map((x) => ({ name: x.name, size: x.size })) } };
      }
      case 'attachment.list': {
        const list = await attachments.listAttachments(await this.tenant(a.actor, a.slug, 'ticket:read'), a.ref.text);
        return { result: list, output: { type: 'attachments', items: list.map((x) => ({ name: x.name, size: x.size })) } };
      }
      case 'audit.list': {
        const events = await audit.listAudit(await this.tenant(a.actor, a.slug, 'audit:read'), { limit: 0 });
        return { result: events, output: { type: 'audit', ids: events.map((e) => e.id) } };
      }
      case 'workflow.show': {
        const wf = await workflow.showWorkflow(await this.tenant(a.actor, a.slug, 'ticket:read'));
        return { result: wf, output: workflowOut(wf) };
      }
      case 'workflow.add':
      case 'workflow.remove':
      case 'workflow.rule': {
        const t = await this.tenant(a.actor, a.slug, 'workflow:manage');
        const done =
          a.kind === 'workflow.add'
            ? await workflow.addStatus(t, { code: a.code, category: a.category })
            : a.kind === 'workflow.remove'
              ? await workflow.removeStatus(t, a.code, a.moveTo)
              : await workflow.setTransition(t, a.from, a.to, a.allowed);
        return { result: done, output: workflowOut(done.workflow) };
      }
    }
  }
}

// ---- the built CLI, one process per action ----

/** The command line for an action (every org-scoped command names its org with --org). */
export function argv(a: Action): string[] {
  const org = (slug: string) => ['--org', slug];
  switch (a.kind) {
    case 'idle':
    case 'wait':
    case 'interleave':
      return [];
    case 'org.create':
      return ['org', 'create', a.name, '--slug', a.slug, '--key', a.key];
    case 'org.switch':
      return ['org', 'switch', a.slug];
    case 'org.current':
      return ['org', 'current'];
    case 'org.list':
      return ['org', 'list'];
    case 'org.rename':
      return [...org(a.slug), 'org', 'rename', a.name];
    case 'org.transfer':
      return [...org(a.slug), 'org', 'transfer', '-y', a.target];
    case 'org.leave':
      return [...org(a.slug), 'org', 'leave', '-y'];
    case 'org.delete':
      return ['org', 'delete', a.slug, '-y'];
    case 'member.list':
      return [...org(a.slug), 'member', 'list'];
    case 'member.setRole':
      return [...org(a.slug), 'member', 'set-role', a.target, a.role];
    case 'member.remove':
      return [...org(a.slug), 'member', 'remove', '-y', a.target];
    case 'access.check':
      return [...org(a.slug), 'access', 'check', a.permission, ...(a.user !== undefined ? ['--user', a.user] : [])];
    case 'role.list':
      return [...org(a.slug), 'role', 'list'];
    case 'role.show':
      return [...org(a.slug), 'role', 'show', a.role];
    case 'role.create':
      return [...org(a.slug), 'role', 'create', a.role, '--name', a.name, '--permissions', a.permissions.join(',')];
    case 'role.edit':
      return [
        ...org(a.slug),
        'role',
        'edit',
        a.role,
        ...(a.name !== undefined ? ['--name', a.name] : []),
        ...(a.permissions !== undefined ? ['--permissions', a.permissions.join(',')] : []),
      ];
    case 'role.delete':
      return [...org(a.slug), 'role', 'delete', '-y', a.role, ...(a.reassign !== undefined ? ['--reassign', a.reassign] : [])];
    case 'invite.create':
      return [...org(a.slug), 'invite', 'create', a.email, '--role', a.role];
    case 'invite.list':
      return [...org(a.slug), 'invite', 'list', ...(a.all ? ['--all'] : [])];
    case 'invite.revoke':
      return [...org(a.slug), 'invite', 'revoke', '-y', String(a.id)];
    case 'invite.accept':
      return ['invite', 'accept', a.invite?.token ?? UNKNOWN_TOKEN];
    case 'ticket.create':
      return [
        ...org(a.slug),
        'ticket',
        'create',
        '--title',
        a.title,
        ...(a.body !== undefined ? ['--body', a.body] : []),
        '--priority',
        a.priority,
        ...(a.assignee !== undefined ? ['--assignee', a.assignee] : []),
        ...a.labels.flatMap((l) => ['--label', l]),
      ];
    case 'ticket.edit':
      return [
        ...org(a.slug),
        'ticket',
        'edit',
        a.ref.text,
        ...(a.title !== undefined ? ['--title', a.title] : []),
        ...(a.priority !== undefined ? ['--priority', a.priority] : []),
        ...(a.addLabel !== undefined ? ['--add-label', a.addLabel] : []),
        ...(a.removeLabel !== undefined ? ['--remove-label', a.removeLabel] : []),
      ];
    case 'ticket.assign':
      return [...org(a.slug), 'ticket', 'assign', a.ref.text, a.who];
    case 'ticket.unassign':
      return [...org(a.slug), 'ticket', 'unassign', a.ref.text];
    case 'ticket.move':
      return [...org(a.slug), 'ticket', 'move', a.ref.text, a.status];
    case 'ticket.comment':
      return [...org(a.slug), 'ticket', 'comment', a.ref.text, '--body', a.body];
    case 'ticket.delete':
      return [...org(a.slug), 'ticket', 'delete', a.ref.text, '-y'];
    case 'ticket.list':
      return [
        ...org(a.slug),
        'ticket',
        'list',
        '--limit',
        '0',
        ...(a.status !== undefined ? ['--status', a.status] : []),
        ...(a.assignee !== undefined ? ['--assignee', a.assignee] : []),
        ...(a.label !== undefined ? ['--label', a.label] : []),
      ];
    case 'ticket.search':
      // The model searches every status, as the domain runner does (listTickets without statuses);
      // the CLI alone shows only unfinished tickets unless told --status all.
      return [...org(a.slug), 'ticket', 'list', '--limit', '0', '--status', 'all', '--search', a.word];
    case 'ticket.export':
      return [...org(a.slug), 'ticket', 'export'];
    case 'ticket.view':
      return [...org(a.slug), 'ticket', 'view', a.ref.text];
    case 'audit.list':
      return [...org(a.slug), 'audit', 'list', '--limit', '0'];
    case 'attachment.add':
      return [...org(a.slug), 'attachment', 'add', a.ref.text, '-', '--name', a.name];
    case 'attachment.list':
      return [...org(a.slug), 'attachment', 'list', a.ref.text];
    case 'workflow.show':
      return [...org(a.slug), 'workflow', 'show'];
    case 'workflow.add':
      return [...org(a.slug), 'workflow', 'status', 'add', a.code, '--category', a.category];
    case 'workflow.remove':
      return [...org(a.slug), 'workflow', 'status', 'remove', a.code, '-y', ...(a.moveTo !== undefined ? ['--move-to', a.moveTo] : [])];
    case 'workflow.rule':
      return [...org(a.slug), 'workflow', 'transition', a.allowed ? 'allow' : 'deny', a.from, a.to];
  }
}

/** The CLI's --json output, normalised like the domain runner's. */
function normalise(a: Action, json: any): Output {
  switch (a.kind) {
    case 'org.create':
    case 'org.rename':
      return { type: 'org', slug: json.slug, name: json.name };
    case 'org.switch':
    case 'org.current':
    case 'invite.accept':
      return { type: 'org', slug: json.slug, name: json.name, role: json.role };
    case 'org.list':
      return { type: 'orgs', items: json.map((o: any) => ({ slug: o.slug, role: o.role })) };
    case 'member.list':
      return { type: 'members', items: json.map((m: any) => ({ email: m.email, role: m.role })) };
    case 'member.setRole':
      return { type: 'member', email: json.email, role: json.role };
    case 'access.check':
      return { type: 'access', allowed: json.allowed, role: json.role };
    case 'role.list':
      return { type: 'roles', items: json.map((r: any) => ({ code: r.code, permissions: r.permissions })) };
    case 'role.show':
    case 'role.create':
    case 'role.edit':
      return { type: 'roles', items: [{ code: json.code, permissions: json.permissions }] };
    case 'invite.create':
      return { type: 'invite', id: json.id, email: json.email, role: json.role, token: json.token };
    case 'invite.list':
      return { type: 'invites', items: json.map((i: any) => ({ id: i.id, email: i.email, state: i.state })) };
    case 'invite.revoke':
      return { type: 'invites', items: [{ id: json.id, email: json.email, state: json.state }] };
    case 'ticket.create':
    case 'ticket.edit':
    case 'ticket.assign':
    case 'ticket.unassign':
    case 'ticket.move':
      return { type: 'ticket', ticket: ticketRow(json) };
    case 'ticket.view':
      return { type: 'ticket', ticket: ticketRow(json), comments: json.comments.length, history: json.history.length };
    case 'ticket.comment':
      return { type: 'comment', key: json.key };
    case 'ticket.delete':
      return { type: 'deleted', key: json.key };
    case 'ticket.list':
    case 'ticket.search':
    case 'ticket.export':
      return { type: 'tickets', items: json.map(ticketRow) };
    case 'audit.list':
      return { type: 'audit', ids: json.map((e: any) => e.id) };
    case 'attachment.add':
    case 'attachment.list':
      return { type: 'attachments', items: json.map((x: any) => ({ name: x.name, size: x.size })) };
    case 'workflow.show':
    case 'workflow.add':
    case 'workflow.remove':
    case 'workflow.rule':
      return { type: 'workflow', items: json.map((x: any) => ({ code: x.code, category: x.category, tickets: x.tickets })) };
    default:
      return { type: 'none' };
  }
}

/** Runs each action as `tkt … --json` by the acting person (their own config dir and session). */
export class CliRunner implements Runner {
  constructor(private readonly people: ReadonlyMap<string, Person>) {}

  interleave(): Promise<Observation> {
    throw new Error('the CLI model has no interleavings: test/e2e/stale-writes.test.ts makes them with real processes');
  }

  async run(a: Action): Promise<Observation> {
    if (a.kind === 'interleave') return this.interleave();
    if (a.kind === 'idle' || a.kind === 'wait') return { exit: 0, output: { type: 'none' }, raw: '' };
    const person = this.people.get(a.actor);
    if (!person) throw new Error(`no person ${a.actor}`);
    const args = [...argv(a), '--json'];
    const r = await person.run(args, a.kind === 'attachment.add' ? { input: a.content } : {});
    // access check answers "no" with exit 4 and the answer on stdout; a refusal by the guard prints nothing.
    const answered = r.code === 0 || (a.kind === 'access.check' && r.code === 4 && r.stdout !== '');
    return {
      exit: r.code,
      ...(answered ? { output: normalise(a, r.json()) } : {}),
      raw: r.stdout,
      stderr: `$ tkt ${args.join(' ')}\n${r.stderr}`,
    };
  }
}

/** A workflow as the model's output: statuses in order with their category and ticket count. */
function workflowOut(wf: { statuses: Array<{ code: string; category: string }>; counts: Record<string, number> }): Output {
  return { type: 'workflow', items: wf.statuses.map((x) => ({ code: x.code, category: x.category, tickets: wf.counts[x.code] ?? 0 })) };
}
