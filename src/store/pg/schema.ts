// The PostgreSQL schema of a tkt store (drizzle-kit generates migrations/pg/ from it). The same
// tables as the SQLite schema, laid out to be distributed by organization (Citus): every tenant
// table's primary key and every foreign key between tenant rows lead with organization_id; the
// global tables (users, credentials) stand apart. Row-level security, the tkt_app role, the
// SECURITY DEFINER functions and the search index are hand-written SQL in the custom migrations.
import { sql } from 'drizzle-orm';
import { pgTable, bigint, text, boolean, primaryKey, uniqueIndex, index, foreignKey, check } from 'drizzle-orm/pg-core';

const id = (name = 'id') => bigint(name, { mode: 'number' });
const time = (name: string) => bigint(name, { mode: 'number' });

export const users = pgTable('users', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  /** Stored lower-cased: emails are unique case-insensitively. */
  email: text('email').notNull().unique('users_email_unique'),
  name: text('name').notNull(),
  /** Not readable by tkt_app (column privileges); checked by tkt_login(). */
  passwordHash: text('password_hash').notNull(),
  createdAt: time('created_at').notNull(),
});

/** Login sessions and API tokens. Only the SHA-256 of the secret is kept (not readable by tkt_app). */
export const credentials = pgTable(
  'credentials',
  {
    id: id().primaryKey().generatedAlwaysAsIdentity(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    name: text('name'),
    tokenHash: text('token_hash').notNull().unique('credentials_token_hash_unique'),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    revokedAt: time('revoked_at'),
    lastUsedAt: time('last_used_at'),
  },
  (t) => [index('credentials_user_idx').on(t.userId, t.kind), check('credentials_kind_check', sql`${t.kind} in ('session', 'token')`)],
);

export const organizations = pgTable('organizations', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique('organizations_slug_unique'),
  name: text('name').notNull(),
  ticketKey: text('ticket_key').notNull().unique('organizations_ticket_key_unique'),
  nextTicketNumber: bigint('next_ticket_number', { mode: 'number' }).notNull().default(1),
  nextCommentNumber: bigint('next_comment_number', { mode: 'number' }).notNull().default(1),
  nextAuditNumber: bigint('next_audit_number', { mode: 'number' }).notNull().default(1),
  nextInviteNumber: bigint('next_invite_number', { mode: 'number' }).notNull().default(1),
  createdAt: time('created_at').notNull(),
});

const orgRef = () =>
  id('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

export const roles = pgTable(
  'roles',
  {
    organizationId: orgRef(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    permissions: text('permissions').notNull(),
    isSystem: boolean('is_system').notNull().default(false),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'roles_pk', columns: [t.organizationId, t.id] }), uniqueIndex('roles_org_code_uq').on(t.organizationId, t.code)],
);

export const memberships = pgTable(
  'memberships',
  {
    organizationId: orgRef(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: id('role_id').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'memberships_pk', columns: [t.organizationId, t.userId] }),
    foreignKey({ name: 'memberships_role_fk', columns: [t.organizationId, t.roleId], foreignColumns: [roles.organizationId, roles.id] }),
    index('memberships_user_idx').on(t.userId),
    index('memberships_role_idx').on(t.organizationId, t.roleId),
  ],
);

/** Every user who was ever a member of an org (kept by trigger): whose names the org's members may read. */
export const orgPeople = pgTable(
  'org_people',
  {
    organizationId: orgRef(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'org_people_pk', columns: [t.organizationId, t.userId] }), index('org_people_user_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    organizationId: orgRef(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    number: bigint('number', { mode: 'number' }).notNull(),
    email: text('email').notNull(),
    roleId: id('role_id'),
    roleCode: text('role_code').notNull(),
    /** Not readable by tkt_app. */
    tokenHash: text('token_hash').notNull(),
    inviterId: id('inviter_id')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    acceptedAt: time('accepted_at'),
    acceptedBy: id('accepted_by').references(() => users.id),
    revokedAt: time('revoked_at'),
    voidReason: text('void_reason'),
  },
  (t) => [
    primaryKey({ name: 'invitations_pk', columns: [t.organizationId, t.id] }),
    uniqueIndex('invitations_org_number_uq').on(t.organizationId, t.number),
    uniqueIndex('invitations_token_uq').on(t.organizationId, t.tokenHash),
    index('invitations_token_idx').on(t.tokenHash),
    foreignKey({ name: 'invitations_role_fk', columns: [t.organizationId, t.roleId], foreignColumns: [roles.organizationId, roles.id] }),
    index('invitations_role_idx').on(t.organizationId, t.roleId),
    index('invitations_org_email_idx').on(t.organizationId, t.email),
    index('invitations_org_created_idx').on(t.organizationId, t.createdAt),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    organizationId: orgRef(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    number: bigint('number', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    status: text('status').notNull().default('open'),
    priority: text('priority').notNull().default('none'),
    assigneeId: id('assignee_id'),
    reporterId: id('reporter_id')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'tickets_pk', columns: [t.organizationId, t.id] }),
    uniqueIndex('tickets_org_number_uq').on(t.organizationId, t.number),
    foreignKey({
      name: 'tickets_assignee_fk',
      columns: [t.organizationId, t.assigneeId],
      foreignColumns: [memberships.organizationId, memberships.userId],
    }),
    index('tickets_org_status_idx').on(t.organizationId, t.status, t.number),
    index('tickets_org_assignee_idx').on(t.organizationId, t.assigneeId, t.number),
    index('tickets_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('tickets_org_updated_idx').on(t.organizationId, t.updatedAt, t.id),
    check('tickets_status_check', sql`${t.status} in ('open', 'in_progress', 'done', 'canceled')`),
    check('tickets_priority_check', sql`${t.priority} in ('none', 'low', 'medium', 'high', 'urgent')`),
  ],
);

export const labels = pgTable(
  'labels',
  {
    organizationId: orgRef(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ name: 'labels_pk', columns: [t.organizationId, t.id] }), uniqueIndex('labels_org_name_uq').on(t.organizationId, t.name)],
);

export const ticketLabels = pgTable(
  'ticket_labels',
  {
    organizationId: id('organization_id').notNull(),
    ticketId: id('ticket_id').notNull(),
    labelId: id('label_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'ticket_labels_pk', columns: [t.organizationId, t.ticketId, t.labelId] }),
    foreignKey({ name: 'ticket_labels_ticket_fk', columns: [t.organizationId, t.ticketId], foreignColumns: [tickets.organizationId, tickets.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ name: 'ticket_labels_label_fk', columns: [t.organizationId, t.labelId], foreignColumns: [labels.organizationId, labels.id] }).onDelete(
      'cascade',
    ),
    index('ticket_labels_label_idx').on(t.organizationId, t.labelId),
  ],
);

export const comments = pgTable(
  'comments',
  {
    organizationId: id('organization_id').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    number: bigint('number', { mode: 'number' }).notNull(),
    ticketId: id('ticket_id').notNull(),
    authorId: id('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'comments_pk', columns: [t.organizationId, t.id] }),
    foreignKey({ name: 'comments_ticket_fk', columns: [t.organizationId, t.ticketId], foreignColumns: [tickets.organizationId, tickets.id] }).onDelete(
      'cascade',
    ),
    index('comments_org_ticket_idx').on(t.organizationId, t.ticketId, t.id),
    uniqueIndex('comments_org_number_uq').on(t.organizationId, t.number),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    organizationId: orgRef(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    number: bigint('number', { mode: 'number' }).notNull(),
    actorId: id('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    target: text('target').notNull(),
    details: text('details').notNull().default('{}'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'audit_events_pk', columns: [t.organizationId, t.id] }),
    index('audit_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    uniqueIndex('audit_org_number_uq').on(t.organizationId, t.number),
    index('audit_org_target_idx').on(t.organizationId, t.targetType, t.target),
  ],
);

/** The search document of each ticket (title, body and comments), kept by SECURITY DEFINER triggers. */
export const ticketSearch = pgTable(
  'ticket_search',
  {
    organizationId: id('organization_id').notNull(),
    ticketId: id('ticket_id').notNull(),
    document: text('document').notNull().default(''),
  },
  (t) => [
    primaryKey({ name: 'ticket_search_pk', columns: [t.organizationId, t.ticketId] }),
    foreignKey({ name: 'ticket_search_ticket_fk', columns: [t.organizationId, t.ticketId], foreignColumns: [tickets.organizationId, tickets.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** Tables that hold an organization's rows: RLS enabled and forced on each, organization_id leads every key. */
export const pgTenantTables = [
  'organizations',
  'roles',
  'memberships',
  'org_people',
  'invitations',
  'tickets',
  'labels',
  'ticket_labels',
  'comments',
  'audit_events',
  'ticket_search',
] as const;
