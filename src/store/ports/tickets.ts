// Tickets as the domain sees them: records bound to one organization, numbered per org.
import type { AuditInput, Decide } from './common.js';

export const TICKET_STATUSES = ['open', 'in_progress', 'done', 'canceled'] as const;
export const TICKET_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export interface PersonRef {
  email: string;
  name: string;
}

export interface TicketRecord {
  id: number;
  number: number;
  /** `<ORGKEY>-<number>`. */
  key: string;
  title: string;
  body: string;
  status: TicketStatus;
  priority: TicketPriority;
  assignee: PersonRef | null;
  reporter: PersonRef;
  /** Sorted by name. */
  labels: string[];
  createdAt: number;
  updatedAt: number;
}

export interface CommentRecord {
  id: number;
  author: PersonRef;
  body: string;
  createdAt: number;
}

export type TicketSortField = 'number' | 'created' | 'updated' | 'priority';

/** One word of a search: its terms (src/lib/search-terms.ts) in this order, the last a prefix if `prefix`. */
export interface SearchWord {
  terms: string[];
  prefix: boolean;
}

export interface TicketQuery {
  /** Any of these (empty: all). */
  statuses: TicketStatus[];
  /** Any of these (empty: all). */
  priorities: TicketPriority[];
  /** Every one of these. */
  labels: string[];
  /** A member's (normalised) email, or 'none' for unassigned tickets. */
  assignee?: { email: string } | 'none';
  /** Every word appears in the title, body or comments (an empty list matches nothing). */
  search?: SearchWord[];
  sort: TicketSortField;
  /** Newest / most urgent first; false only for exports, which keep the numbering order. */
  descending: boolean;
  /** 0 means no limit. */
  limit: number;
}

/** Everything already validated and normalised by the domain. */
export interface NewTicket {
  title: string;
  body: string;
  status: TicketStatus;
  priority: TicketPriority;
  /** Must be a member of the org (checked again inside the transaction). */
  assigneeEmail: string | null;
  labels: string[];
  /** Kept by imports; now when absent. */
  createdAt?: number;
  updatedAt?: number;
}

/** What the domain checks before tickets are written: assignees who are not members of the org, in input order. */
export interface AssigneeState {
  nonMembers: string[];
}

/** Fields to set and labels to link and unlink; null from the decide: nothing changes. */
export interface TicketEditPlan {
  set: { title?: string; body?: string; priority?: TicketPriority };
  addLabels: string[];
  removeLabels: string[];
  audit: AuditInput;
}

/** The ticket before and after an operation; `changed` is false when it was already so. */
export interface TicketChange {
  before: TicketRecord;
  after: TicketRecord;
  changed: boolean;
}

/**
 * Tickets of the bound organization. Operations that name a ticket by number return null when the
 * org has no such ticket; otherwise each write is one transaction that runs the domain's decide on
 * the ticket as it is there and writes its plan (a null plan writes nothing: `changed` false).
 */
export interface TicketRepo {
  /**
   * Allocates the next number and inserts, in one transaction. Ticket create and import must be
   * serializable against each other: numbering is gapless and per org.
   */
  create(input: NewTicket, decide: Decide<AssigneeState & { number: number }, AuditInput>): Promise<TicketRecord>;
  findByNumber(number: number): Promise<TicketRecord | null>;
  list(query: TicketQuery): Promise<TicketRecord[]>;
  /** Oldest first; null when there is no such ticket. */
  comments(number: number): Promise<CommentRecord[] | null>;
  edit(number: number, decide: Decide<TicketRecord, TicketEditPlan | null>): Promise<TicketChange | null>;
  /** null email: unassign. */
  setAssignee(
    number: number,
    email: string | null,
    decide: Decide<AssigneeState & { ticket: TicketRecord }, AuditInput | null>,
  ): Promise<TicketChange | null>;
  setStatus(number: number, decide: Decide<TicketRecord, { status: TicketStatus; audit: AuditInput } | null>): Promise<TicketChange | null>;
  /** The decide's event needs the id the new comment gets. */
  addComment(
    number: number,
    body: string,
    decide: Decide<TicketRecord, (commentId: number) => AuditInput>,
  ): Promise<{ ticket: TicketRecord; comment: CommentRecord } | null>;
  /** Deletes the ticket with its comments and label links; returns what was deleted. */
  delete(number: number, decide: Decide<TicketRecord, AuditInput>): Promise<TicketRecord | null>;
  /** All or nothing, in one transaction; numbers are allocated in input order (serializable with create). */
  importMany(
    tickets: NewTicket[],
    decide: Decide<AssigneeState & { firstNumber: number; count: number }, AuditInput>,
  ): Promise<{ firstNumber: number; count: number }>;
  /** Which of these (normalised) emails belong to members of the org. */
  memberEmails(emails: string[]): Promise<Set<string>>;
}
