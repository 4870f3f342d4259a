// Tickets as the domain sees them: records bound to one organization, numbered per org.

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

export interface TicketQuery {
  /** Any of these (empty: all). */
  statuses: TicketStatus[];
  /** Any of these (empty: all). */
  priorities: TicketPriority[];
  /** Every one of these. */
  labels: string[];
  /** A member's (normalised) email, or 'none' for unassigned tickets. */
  assignee?: { email: string } | 'none';
  /** Free text, searched literally (word by word; `word*` is a prefix) in title, body and comments. */
  search?: string;
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

export interface TicketPatch {
  title?: string;
  body?: string;
  priority?: TicketPriority;
  addLabels?: string[];
  removeLabels?: string[];
}

/** The ticket before and after an operation; `changed` is false when it was already so. */
export interface TicketChange {
  before: TicketRecord;
  after: TicketRecord;
  changed: boolean;
}

/**
 * Tickets of the bound organization. Operations that name a ticket by number return null when the
 * org has no such ticket. Each write is one transaction that also appends its audit event
 * (targetType 'ticket', target the key); an assignee who is not a member of the org is a usage
 * error, decided inside that transaction.
 */
export interface TicketRepo {
  /** Allocates the next number and inserts, in one transaction: gapless under concurrent writers. */
  create(input: NewTicket): Promise<TicketRecord>;
  findByNumber(number: number): Promise<TicketRecord | null>;
  list(query: TicketQuery): Promise<TicketRecord[]>;
  /** Oldest first; null when there is no such ticket. */
  comments(number: number): Promise<CommentRecord[] | null>;
  edit(number: number, patch: TicketPatch): Promise<TicketChange | null>;
  /** null email: unassign. */
  setAssignee(number: number, email: string | null): Promise<TicketChange | null>;
  /** With `onlyFrom`, changes nothing unless the current status is one of those. */
  setStatus(number: number, status: TicketStatus, onlyFrom?: readonly TicketStatus[]): Promise<TicketChange | null>;
  addComment(number: number, body: string): Promise<{ ticket: TicketRecord; comment: CommentRecord } | null>;
  /** Deletes the ticket with its comments and label links; returns what was deleted. */
  delete(number: number): Promise<TicketRecord | null>;
  /** All or nothing, in one transaction; numbers are allocated in input order. */
  importMany(tickets: NewTicket[]): Promise<{ firstNumber: number; count: number }>;
  /** Which of these (normalised) emails belong to members of the org. */
  memberEmails(emails: string[]): Promise<Set<string>>;
}
