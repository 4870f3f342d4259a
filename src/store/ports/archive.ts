// Importing a whole organization from an archive (src/domain/archive-format.ts describes the
// format): one write transaction that creates the org and everything in it, fed the archive's
// records one at a time, so no archive is ever held in memory.
import type { AuditInput, OrgRecord } from './common.js';
import type { StatusRecord, TransitionRule, WorkflowRecord } from './workflow.js';

export interface ArchivePerson {
  email: string;
  name: string;
}

export type ArchiveRecord =
  | { type: 'header'; format: number; tool: 'tkt'; org: { slug: string; name: string; key: string }; exportedAt: string }
  | { type: 'role'; code: string; name: string; permissions: string[]; system: boolean }
  | { type: 'member'; email: string; name: string; role: string }
  /** The org's workflow (format 2 on; the store takes it from ImportPlan.workflow, not from here). */
  | { type: 'workflow'; statuses: StatusRecord[]; transitions: TransitionRule[] }
  | {
      type: 'ticket';
      number: number;
      title: string;
      body: string;
      status: string;
      /** The status's category when exported (format 2 on): informational, never read by an import. */
      statusCategory?: string;
      priority: string;
      assignee: string | null;
      reporter: ArchivePerson;
      labels: string[];
      createdAt: number;
      updatedAt: number;
      comments: Array<{ author: ArchivePerson; body: string; createdAt: number }>;
    }
  | { type: 'content'; sha256: string; size: number }
  | { type: 'chunk'; sha256: string; seq: number; data: string }
  | { type: 'attachment'; ticket: number; name: string; size: number; contentType: string; sha256: string; uploader: ArchivePerson; createdAt: number }
  | { type: 'event'; actor: ArchivePerson; action: string; targetType: string; target: string; details: Record<string, unknown>; createdAt: number }
  | { type: 'end'; records: number };


export interface ImportPlan {
  org: { slug: string; name: string; ticketKey: string };
  /** Becomes the owner (role `ownerRole`). */
  importerId: number;
  /** The system roles as this version defines them; the archive's custom roles are added from its records. */
  systemRoles: Array<{ code: string; name: string; permissions: string[] }>;
  ownerRole: string;
  /**
   * The new org's whole workflow (statuses in order, transition rules), written before any
   * ticket: the archive's own, checked; the default four for an archive without one.
   */
  workflow: WorkflowRecord;
  /** Invitations for the other members, by the importer. */
  invites: Array<{ email: string; roleCode: string; tokenHash: string; expiresAt: number }>;
  /** Appended after the archive's own events (the import, the invitations), given each invitation's id. */
  audit: (inviteIds: number[]) => AuditInput[];
}

export type ImportOutcome =
  | { kind: 'created'; org: OrgRecord; inviteIds: number[] }
  | { kind: 'slug-taken' }
  | { kind: 'key-taken' };

/**
 * Not bound to an org (it creates one). People are matched by email: a reporter, author,
 * uploader or actor without an account in this store becomes the importer; an assignee who is
 * not the importer is left out (the others are only invited). Records must come in the archive's
 * order, ticket keys already in the new org's key, every ticket's status one of `plan.workflow`'s.
 */
export interface ArchiveStore {
  importOrg(plan: ImportPlan, records: () => Iterable<ArchiveRecord>): Promise<ImportOutcome>;
}
