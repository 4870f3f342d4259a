// The whole schema of a tkt store. Every tenant table carries organization_id, and every
// reference between tenant rows is a composite foreign key that includes it, so the database
// itself refuses a row that points into another organization.
import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  integer,
  text,
  primaryKey,
  uniqueIndex,
  index,
  foreignKey,
  check,
  blob,
} from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Stored lower-cased: emails are unique case-insensitively. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Login sessions and API tokens. Only the SHA-256 of the secret is kept. */
export const credentials = sqliteTable(
  'credentials',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['session', 'token'] }).notNull(),
    /** A person's label for an API token; null for sessions. */
    name: text('name'),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [
    index('credentials_user_idx').on(t.userId, t.kind),
    check('credentials_kind_check', sql`${t.kind} in ('session', 'token')`),
  ],
);

export const organizations = sqliteTable('organizations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  ticketKey: text('ticket_key').notNull().unique(),
  /** The number the next ticket gets; bumped in the same transaction as the insert. */
  nextTicketNumber: integer('next_ticket_number').notNull().default(1),
  /**
   * The numbers the next comment, audit event and invitation get: what people see as their ids,
   * counted per organization so that no id reveals how much other organizations do.
   */
  nextCommentNumber: integer('next_comment_number').notNull().default(1),
  nextAuditNumber: integer('next_audit_number').notNull().default(1),
  nextInviteNumber: integer('next_invite_number').notNull().default(1),
  /** The id the next attachment gets (per org, like the counters above). */
  nextAttachmentNumber: integer('next_attachment_number').notNull().default(1),
  /** Bytes of attachment content the org may store; null: the default (src/domain/attachments.ts). */
  attachmentQuota: integer('attachment_quota'),
  createdAt: integer('created_at').notNull(),
});

export const roles = sqliteTable(
  'roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Space-free, comma-separated permission list, e.g. "ticket:*,member:read". */
    permissions: text('permissions').notNull(),
    isSystem: integer('is_system', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('roles_org_code_uq').on(t.organizationId, t.code),
    uniqueIndex('roles_org_id_uq').on(t.organizationId, t.id),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: integer('role_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    // A member's role must be a role of the same organization.
    foreignKey({
      name: 'memberships_role_fk',
      columns: [t.organizationId, t.roleId],
      foreignColumns: [roles.organizationId, roles.id],
    }),
    index('memberships_user_idx').on(t.userId),
    index('memberships_role_idx').on(t.organizationId, t.roleId),
  ],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The id people see (`invite revoke <number>`), from organizations.next_invite_number. */
    number: integer('number').notNull().default(0),
    /** Lower-cased. */
    email: text('email').notNull(),
    /**
     * The role invited as: the role itself, not its code, so a new role created under the same
     * code inherits nothing. Null once the role is deleted (its pending invitations are then void).
     */
    roleId: integer('role_id'),
    /** The role's code when invited, kept to show what it was after the role is gone. */
    roleCode: text('role_code').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    acceptedBy: integer('accepted_by').references(() => users.id),
    revokedAt: integer('revoked_at'),
    /** Why the invite stopped being usable when that was not a revoke or an accept. */
    voidReason: text('void_reason'),
  },
  (t) => [
    uniqueIndex('invitations_org_id_uq').on(t.organizationId, t.id),
    uniqueIndex('invitations_org_number_uq').on(t.organizationId, t.number),
    // The invited role must be a role of the same organization.
    foreignKey({
      name: 'invitations_role_fk',
      columns: [t.organizationId, t.roleId],
      foreignColumns: [roles.organizationId, roles.id],
    }),
    index('invitations_role_idx').on(t.organizationId, t.roleId),
    index('invitations_org_email_idx').on(t.organizationId, t.email),
    index('invitations_org_created_idx').on(t.organizationId, t.createdAt),
  ],
);

/**
 * Each organization's own ticket statuses (its workflow): a code unique in the org, a name for
 * people, one of four fixed categories, and an order. Tickets reference (organization_id, code).
 */
export const workflowStatuses = sqliteTable(
  'workflow_statuses',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: text('category', { enum: ['unstarted', 'started', 'completed', 'canceled'] }).notNull(),
    position: integer('position').notNull(),
    /** The status new tickets get (at most one per org; none: the first unstarted one). */
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.code] }),
    index('workflow_statuses_org_position_idx').on(t.organizationId, t.position),
    uniqueIndex('workflow_statuses_org_default_uq').on(t.organizationId).where(sql`${t.isDefault} = 1`),
    check('workflow_statuses_category_check', sql`${t.category} in ('unstarted', 'started', 'completed', 'canceled')`),
  ],
);

/**
 * Transition rules between two statuses of one org: allowed (once a status has an allowed rule,
 * only the allowed moves leave it) or denied (that move is refused).
 */
export const workflowTransitions = sqliteTable(
  'workflow_transitions',
  {
    organizationId: integer('organization_id').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    allowed: integer('allowed', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.fromStatus, t.toStatus] }),
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

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** A code of the org's own workflow (workflow_statuses), by composite foreign key. */
    status: text('status').notNull(),
    priority: text('priority', { enum: ['none', 'low', 'medium', 'high', 'urgent'] })
      .notNull()
      .default('none'),
    assigneeId: integer('assignee_id'),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** Where an imported ticket came from (`github#1234`); null for tickets made in tkt. */
    external: text('external'),
  },
  (t) => [
    uniqueIndex('tickets_org_number_uq').on(t.organizationId, t.number),
    // One ticket per origin in an org: importing the same file twice cannot duplicate (NULLs never collide).
    uniqueIndex('tickets_org_external_uq').on(t.organizationId, t.external).where(sql`${t.external} IS NOT NULL`),
    uniqueIndex('tickets_org_id_uq').on(t.organizationId, t.id),
    // The assignee must be a member of the ticket's organization.
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
    index('tickets_org_created_idx').on(t.organizationId, t.createdAt),
    index('tickets_org_updated_idx').on(t.organizationId, t.updatedAt),
    check(
      'tickets_priority_check',
      sql`${t.priority} in ('none', 'low', 'medium', 'high', 'urgent')`,
    ),
  ],
);

export const labels = sqliteTable(
  'labels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [
    uniqueIndex('labels_org_name_uq').on(t.organizationId, t.name),
    uniqueIndex('labels_org_id_uq').on(t.organizationId, t.id),
  ],
);

export const ticketLabels = sqliteTable(
  'ticket_labels',
  {
    organizationId: integer('organization_id').notNull(),
    ticketId: integer('ticket_id').notNull(),
    labelId: integer('label_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.ticketId, t.labelId] }),
    foreignKey({
      name: 'ticket_labels_ticket_fk',
      columns: [t.organizationId, t.ticketId],
      foreignColumns: [tickets.organizationId, tickets.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ticket_labels_label_fk',
      columns: [t.organizationId, t.labelId],
      foreignColumns: [labels.organizationId, labels.id],
    }).onDelete('cascade'),
    index('ticket_labels_label_idx').on(t.organizationId, t.labelId),
  ],
);

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id').notNull(),
    /** The id people see, from organizations.next_comment_number. */
    number: integer('number').notNull().default(0),
    ticketId: integer('ticket_id').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    foreignKey({
      name: 'comments_ticket_fk',
      columns: [t.organizationId, t.ticketId],
      foreignColumns: [tickets.organizationId, tickets.id],
    }).onDelete('cascade'),
    index('comments_org_ticket_idx').on(t.organizationId, t.ticketId, t.id),
    uniqueIndex('comments_org_number_uq').on(t.organizationId, t.number),
  ],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The id people see, from organizations.next_audit_number. */
    number: integer('number').notNull().default(0),
    /** Users are never deleted, so the actor stays resolvable. */
    actorId: integer('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    target: text('target').notNull(),
    /** JSON object with the details of the change. */
    details: text('details').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('audit_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    uniqueIndex('audit_org_number_uq').on(t.organizationId, t.number),
    index('audit_org_target_idx').on(t.organizationId, t.targetType, t.target),
  ],
);

/**
 * Attachment content, addressed by its SHA-256 WITHIN one organization: the same file attached
 * twice in an org is stored once, and never shared with another org (the org leads the key).
 */
export const attachmentBlobs = sqliteTable(
  'attachment_blobs',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Lower-case hex. */
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.sha256] })],
);

/** The content in pieces of at most 256 KiB, so no statement binds a whole file. */
export const attachmentChunks = sqliteTable(
  'attachment_chunks',
  {
    organizationId: integer('organization_id').notNull(),
    sha256: text('sha256').notNull(),
    seq: integer('seq').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.sha256, t.seq] }),
    foreignKey({
      name: 'attachment_chunks_blob_fk',
      columns: [t.organizationId, t.sha256],
      foreignColumns: [attachmentBlobs.organizationId, attachmentBlobs.sha256],
    }).onDelete('cascade'),
  ],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id').notNull(),
    /** The id people see, from organizations.next_attachment_number. */
    number: integer('number').notNull(),
    ticketId: integer('ticket_id').notNull(),
    sha256: text('sha256').notNull(),
    /** As given (a file's base name or --name); made safe only when written out. */
    name: text('name').notNull(),
    size: integer('size').notNull(),
    /** Detected from the content (magic bytes). */
    contentType: text('content_type').notNull(),
    uploaderId: integer('uploader_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('attachments_org_number_uq').on(t.organizationId, t.number),
    uniqueIndex('attachments_org_id_uq').on(t.organizationId, t.id),
    foreignKey({
      name: 'attachments_ticket_fk',
      columns: [t.organizationId, t.ticketId],
      foreignColumns: [tickets.organizationId, tickets.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'attachments_blob_fk',
      columns: [t.organizationId, t.sha256],
      foreignColumns: [attachmentBlobs.organizationId, attachmentBlobs.sha256],
    }),
    index('attachments_org_ticket_idx').on(t.organizationId, t.ticketId, t.id),
    index('attachments_org_sha_idx').on(t.organizationId, t.sha256),
  ],
);

export const tenantTables = [
  'roles',
  'memberships',
  'invitations',
  'tickets',
  'labels',
  'ticket_labels',
  'comments',
  'audit_events',
  'ticket_search',
  'attachment_blobs',
  'attachment_chunks',
  'attachments',
  'workflow_statuses',
  'workflow_transitions',
] as const;
