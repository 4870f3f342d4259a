// The PostgreSQL schema of a tkt store (drizzle-kit generates migrations/pg/ from it). The same
// tables as the SQLite schema, laid out to be distributed by organization (Citus): every tenant
// table's primary key and every foreign key between tenant rows lead with organization_id; the
// global tables (users, credentials) stand apart. Row-level security, the tkt_app role, the
// SECURITY DEFINER functions and the search index are hand-written SQL in the custom migrations.
import { sql } from 'drizzle-orm';
import { pgTable, bigint, text, boolean, primaryKey, uniqueIndex, index, foreignKey, check, customType, integer } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

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
  /** The id the next attachment gets (per org, like the counters above). */
  nextAttachmentNumber: bigint('next_attachment_number', { mode: 'number' }).notNull().default(1),
  /** Bytes of attachment content the org may store; null: the default (src/domain/attachments.ts). */
  attachmentQuota: bigint('attachment_quota', { mode: 'number' }),
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

/** Each organization's own ticket statuses (its workflow), in order, each in one of four categories. */
export const workflowStatuses = pgTable(
  'workflow_statuses',
  {
    organizationId: orgRef(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    position: integer('position').notNull(),
    /** The status new tickets get (at most one per org; none: the first unstarted one). */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'workflow_statuses_pk', columns: [t.organizationId, t.code] }),
    index('workflow_statuses_org_position_idx').on(t.organizationId, t.position),
    uniqueIndex('workflow_statuses_org_default_uq').on(t.organizationId).where(sql`${t.isDefault}`),
    check('workflow_statuses_category_check', sql`${t.category} in ('unstarted', 'started', 'completed', 'canceled')`),
  ],
);

/** Transition rules between two statuses of one org: allowed (then only allowed moves leave it) or denied. */
export const workflowTransitions = pgTable(
  'workflow_transitions',
  {
    organizationId: id('organization_id').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    allowed: boolean('allowed').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'workflow_transitions_pk', columns: [t.organizationId, t.fromStatus, t.toStatus] }),
    foreignKey({
      name: 'workflow_transitions_from_fk',
      columns: [t.organizationId, t.fromStatus],
      foreignColumns: [workflowStatuses.organizationId, workflowStatuses.code],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_transitions_to_fk',
      columns: [t.organizationId, t.toStatus],
      foreignColumns: [workflowStatuses.organizationId, workflowStatuses.code],
    }).onDelete('cascade'),
    index('workflow_transitions_to_idx').on(t.organizationId, t.toStatus),
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
    /** A code of the org's own workflow (workflow_statuses), by composite foreign key. */
    status: text('status').notNull(),
    priority: text('priority').notNull().default('none'),
    assigneeId: id('assignee_id'),
    reporterId: id('reporter_id')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
    /** Where an imported ticket came from (`github#1234`); null for tickets made in tkt. */
    external: text('external'),
  },
  (t) => [
    primaryKey({ name: 'tickets_pk', columns: [t.organizationId, t.id] }),
    uniqueIndex('tickets_org_number_uq').on(t.organizationId, t.number),
    // One ticket per origin in an org: importing the same file twice cannot duplicate (NULLs never collide).
    uniqueIndex('tickets_org_external_uq').on(t.organizationId, t.external).where(sql`${t.external} IS NOT NULL`),
    foreignKey({
      name: 'tickets_assignee_fk',
      columns: [t.organizationId, t.assigneeId],
      foreignColumns: [memberships.organizationId, memberships.userId],
    }),
    // The status must be one of the ticket's organization's own statuses.
    foreignKey({
      name: 'tickets_status_fk',
      columns: [t.organizationId, t.status],
      foreignColumns: [workflowStatuses.organizationId, workflowStatuses.code],
    }),
    index('tickets_org_status_idx').on(t.organizationId, t.status, t.number),
    index('tickets_org_assignee_idx').on(t.organizationId, t.assigneeId, t.number),
    index('tickets_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('tickets_org_updated_idx').on(t.organizationId, t.updatedAt, t.id),
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

/** One row per distinct content per org (SHA-256 within the org, never shared across orgs). */
export const attachmentBlobs = pgTable(
  'attachment_blobs',
  {
    organizationId: orgRef(),
    /** Lower-case hex. */
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'attachment_blobs_pk', columns: [t.organizationId, t.sha256] })],
);

/** The content in bytea chunks of at most 256 KiB: no statement ever carries a whole file. */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    organizationId: id('organization_id').notNull(),
    sha256: text('sha256').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ name: 'attachment_chunks_pk', columns: [t.organizationId, t.sha256, t.seq] }),
    foreignKey({
      name: 'attachment_chunks_blob_fk',
      columns: [t.organizationId, t.sha256],
      foreignColumns: [attachmentBlobs.organizationId, attachmentBlobs.sha256],
    }).onDelete('cascade'),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    organizationId: id('organization_id').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    /** The id people see, from organizations.next_attachment_number. */
    number: bigint('number', { mode: 'number' }).notNull(),
    ticketId: id('ticket_id').notNull(),
    sha256: text('sha256').notNull(),
    /** As given (a file's base name or --name); made safe only when written out. */
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Detected from the content (magic bytes). */
    contentType: text('content_type').notNull(),
    uploaderId: id('uploader_id')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'attachments_pk', columns: [t.organizationId, t.id] }),
    uniqueIndex('attachments_org_number_uq').on(t.organizationId, t.number),
    foreignKey({ name: 'attachments_ticket_fk', columns: [t.organizationId, t.ticketId], foreignColumns: [tickets.organizationId, tickets.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      name: 'attachments_blob_fk',
      columns: [t.organizationId, t.sha256],
      foreignColumns: [attachmentBlobs.organizationId, attachmentBlobs.sha256],
    }),
    index('attachments_org_ticket_idx').on(t.organizationId, t.ticketId, t.id),
    index('attachments_org_sha_idx').on(t.organizationId, t.sha256),
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
  'workflow_statuses',
  'workflow_transitions',
  'attachment_blobs',
  'attachment_chunks',
  'attachments',
] as const;
