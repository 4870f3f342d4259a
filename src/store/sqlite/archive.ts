// Creating a whole organization from an archive's records, in ONE write transaction: the org,
// its roles, the importer as owner, its workflow (the plan's: statuses, then rules), tickets with labels and comments, attachment content in
// chunks, attachments, the audit log, then invitations for the other members. A crash or a bad
// record rolls all of it back.
import { sql } from 'drizzle-orm';
import type { ArchivePerson, ArchiveRecord, ArchiveStore, ImportOutcome, ImportPlan } from '../ports/archive.js';
import { organizations, workflowTransitions } from '../schema.js';
import { SqliteRepo } from './base.js';
import { isUniqueViolation, sqliteCause } from './connection.js';
import { joinPermissions, toOrg } from './records.js';
import { insertStatuses } from './workflow.js';

export class SqliteArchiveStore extends SqliteRepo implements ArchiveStore {
  importOrg(plan: ImportPlan, records: () => Iterable<ArchiveRecord>): Promise<ImportOutcome> {
    return this.write((tx): ImportOutcome => {
      const now = this.clock.now();
      let org: typeof organizations.$inferSelect;
      try {
        org = tx.insert(organizations).values({ name: plan.org.name, slug: plan.org.slug, ticketKey: plan.org.ticketKey, createdAt: now }).returning().get();
      } catch (err) {
        if (isUniqueViolation(err)) return { kind: sqliteCause(err)?.message.includes('ticket_key') ? 'key-taken' : 'slug-taken' };
        throw err;
      }
      const o = org.id;
      const roleIds = new Map<string, number>();
      const addRole = (code: string, name: string, permissions: string[], system: boolean) => {
        const row = tx.get<{ id: number }>(sql`INSERT INTO "roles" ("organization_id", "code", "name", "permissions", "is_system", "created_at")
          VALUES (${o}, ${code}, ${name}, ${joinPermissions(permissions)}, ${system ? 1 : 0}, ${now}) RETURNING "id" AS id`);
        roleIds.set(code, row.id);
      };
      for (const r of plan.systemRoles) addRole(r.code, r.name, r.permissions, true);
      tx.run(sql`INSERT INTO "memberships" ("organization_id", "user_id", "role_id", "created_at") VALUES (${o}, ${plan.importerId}, ${roleIds.get(plan.ownerRole)!}, ${now})`);
      // The workflow before any ticket: tickets.status references (organization_id, code).
      insertStatuses(tx, o, plan.workflow.statuses, now);
      if (plan.workflow.transitions.length > 0) {
        tx.insert(workflowTransitions)
          .values(plan.workflow.transitions.map((t) => ({ organizationId: o, fromStatus: t.from, toStatus: t.to, allowed: t.allowed, createdAt: now })))
          .run();
      }

      const users = new Map<string, number>();
      const userId = (p: ArchivePerson): number => {
        const email = p.email.toLowerCase();
        let id = users.get(email);
        if (id === undefined) {
          id = tx.get<{ id: number } | undefined>(sql`SELECT "id" AS id FROM "users" WHERE "email" = ${email}`)?.id ?? plan.importerId;
          users.set(email, id);
        }
        return id;
      };
      const importerEmail = tx.get<{ email: string }>(sql`SELECT "email" AS email FROM "users" WHERE "id" = ${plan.importerId}`).email;
      const ticketIds = new Map<number, number>();
      const labelIds = new Map<string, number>();
      const labelId = (name: string): number => {
        let id = labelIds.get(name);
        if (id === undefined) {
          id = tx.get<{ id: number }>(sql`INSERT INTO "labels" ("organization_id", "name") VALUES (${o}, ${name}) RETURNING "id" AS id`).id;
          labelIds.set(name, id);
        }
        return id;
      };
      let comment = 0;
      let audit = 0;
      let attachment = 0;
      let maxTicket = 0;
      for (const r of records()) {
        switch (r.type) {
          case 'role':
            if (!r.system && !roleIds.has(r.code)) addRole(r.code, r.name, r.permissions, false);
            break;
          case 'ticket': {
            const assignee = r.assignee !== null && r.assignee.toLowerCase() === importerEmail ? plan.importerId : null;
            const id = tx.get<{ id: number }>(sql`INSERT INTO "tickets" ("organization_id", "number", "title", "body", "status", "priority", "assignee_id", "reporter_id", "created_at", "updated_at")
              VALUES (${o}, ${r.number}, ${r.title}, ${r.body}, ${r.status}, ${r.priority}, ${assignee}, ${userId(r.reporter)}, ${r.createdAt}, ${r.updatedAt}) RETURNING "id" AS id`).id;
            ticketIds.set(r.number, id);
            maxTicket = Math.max(maxTicket, r.number);
            for (const name of new Set(r.labels)) tx.run(sql`INSERT INTO "ticket_labels" ("organization_id", "ticket_id", "label_id") VALUES (${o}, ${id}, ${labelId(name)})`);
            for (const c of r.comments) {
              tx.run(sql`INSERT INTO "comments" ("organization_id", "number", "ticket_id", "author_id", "body", "created_at")
                VALUES (${o}, ${++comment}, ${id}, ${userId(c.author)}, ${c.body}, ${c.createdAt})`);
            }
            break;
          }
          case 'content':
            tx.run(sql`INSERT INTO "attachment_blobs" ("organization_id", "sha256", "size", "created_at") VALUES (${o}, ${r.sha256}, ${r.size}, ${now})`);
            break;
          case 'chunk':
            tx.run(sql`INSERT INTO "attachment_chunks" ("organization_id", "sha256", "seq", "data") VALUES (${o}, ${r.sha256}, ${r.seq}, ${Buffer.from(r.data, 'base64')})`);
            break;
          case 'attachment':
            tx.run(sql`INSERT INTO "attachments" ("organization_id", "number", "ticket_id", "sha256", "name", "size", "content_type", "uploader_id", "created_at")
              VALUES (${o}, ${++attachment}, ${ticketIds.get(r.ticket)!}, ${r.sha256}, ${r.name}, ${r.size}, ${r.contentType}, ${userId(r.uploader)}, ${r.createdAt})`);
            break;
          case 'event': {
            // The actor as recorded when they have no account here: kept in the details, given back by an export.
            const actor = userId(r.actor);
            const details = actor === plan.importerId && r.actor.email.toLowerCase() !== importerEmail ? { ...r.details, importedActor: r.actor } : r.details;
            tx.run(sql`INSERT INTO "audit_events" ("organization_id", "number", "actor_id", "action", "target_type", "target", "details", "created_at")
              VALUES (${o}, ${++audit}, ${actor}, ${r.action}, ${r.targetType}, ${r.target}, ${JSON.stringify(details)}, ${r.createdAt})`);
            break;
          }
          default:
            break;
        }
      }
      tx.run(sql`UPDATE "organizations" SET "next_ticket_number" = ${maxTicket + 1}, "next_comment_number" = ${comment + 1},
        "next_audit_number" = ${audit + 1}, "next_attachment_number" = ${attachment + 1} WHERE "id" = ${o}`);
      const inviteIds: number[] = [];
      for (const invite of plan.invites) {
        const number = inviteIds.length + 1;
        tx.run(sql`INSERT INTO "invitations" ("organization_id", "number", "email", "role_id", "role_code", "token_hash", "inviter_id", "created_at", "expires_at")
          VALUES (${o}, ${number}, ${invite.email}, ${roleIds.get(invite.roleCode) ?? roleIds.get('member')!}, ${invite.roleCode}, ${invite.tokenHash}, ${plan.importerId}, ${now}, ${invite.expiresAt})`);
        inviteIds.push(number);
      }
      tx.run(sql`UPDATE "organizations" SET "next_invite_number" = ${inviteIds.length + 1} WHERE "id" = ${o}`);
      for (const event of plan.audit(inviteIds)) {
        tx.run(sql`INSERT INTO "audit_events" ("organization_id", "number", "actor_id", "action", "target_type", "target", "details", "created_at")
          VALUES (${o}, ${++audit}, ${plan.importerId}, ${event.action}, ${event.targetType}, ${event.target}, ${JSON.stringify(event.details)}, ${now})`);
      }
      tx.run(sql`UPDATE "organizations" SET "next_audit_number" = ${audit + 1} WHERE "id" = ${o}`);
      return { kind: 'created', org: toOrg(tx.select().from(organizations).where(sql`${organizations.id} = ${o}`).get()!), inviteIds };
    });
  }
}

