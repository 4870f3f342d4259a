// Tickets as the domain sees them: records bound to one organization, numbered per org.
import type { AuditInput, Decide } from './common.js';
import type { ActorState } from './members.js';
import type { StatusCategory, WorkflowRecord } from './workflow.js';

/** The statuses every organization starts with (its workflow may change them): the defaults only. */
export const TICKET_STATUSES = ['open', 'in_progress', 'done', 'canceled'] as const;
export const TICKET_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

/** A status code of the ticket's own organization's workflow. */
export type TicketStatus = string;
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
  /** The category of its status in the org's workflow. */
  statusCategory: StatusCategory;
  priority: TicketPriority;
  assignee: PersonRef | null;
  reporter: PersonRef;
  /** Sorted by name. */
  labels: string[];
  createdAt: number;
  updatedAt: number;
  /** Where an imported ticket came from (`github#1234`); null for tickets made in tkt. */
  external: string | null;
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

/** Which tickets: what a list and its count share. */
export interface TicketFilterQuery {
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
  /** Created / updated at or after this time (ms). */
  createdSince?: number;
  updatedSince?: number;
}

export interface TicketQuery extends TicketFilterQuery {
  sort: TicketSortField;
  /** Newest / most urgent first; false only for exports, which keep the numbering order. */
  descending: boolean;
  /** 0 means no limit. */
  limit: number;
  /** Tickets skipped before the first one returned (with a limit). */
  offset?: number;
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
  /** Where an imported ticket came from (unique in the org); absent: null. */
  external?: string | null;
  /** The comments an import brings along, oldest first (authors are members, checked again in the transaction). */
  comments?: NewComment[];
}

/**
 * `ticket import --on-duplicate update`: tickets of the org written over by an import, in its
 * transaction: fields and labels as the import says; its comments that the ticket does not hold
 * yet (same time and text) are added. `audit` says what each change records.
 */
export interface ImportUpdates {
  tickets: Array<{ number: number; ticket: NewTicket }>;
  audit(before: TicketRecord, ticket: NewTicket): AuditInput[];
}

/** A comment an import brings along. */
export interface NewComment {
  authorEmail: string;
  body: string;
  createdAt: number;
}

/** What the domain checks before tickets are written: assignees who are not members of the org, in input order. */
export interface AssigneeState {
  nonMembers: string[];
}

/**
 * What the domain checks before new tickets are written, besides the assignees: the statuses they
 * get that the org's workflow no longer has (removed since the domain read it), in input order.
 */
export interface NewTicketState extends AssigneeState {
  unknownStatuses: string[];
}

/** Fields to set and labels to link and unlink; null from the decide: nothing changes. */
export interface TicketEditPlan {
  set: { title?: string; body?: string; priority?: TicketPriority };
  addLabels: string[];
  removeLabels: string[];
  audit: AuditInput;
}

/** What a write on one ticket is judged by, read inside its transaction. */
export interface TicketState extends ActorState {
  /** The number the write asked for. */
  number: number;
  /** The ticket as it is now; null when this org has no such ticket. */
  ticket: TicketRecord | null;
}

/** The ticket before and after an operation; `changed` is false when it was already so. */
export interface TicketChange {
  before: TicketRecord;
  after: TicketRecord;
  changed: boolean;
}

/**
 * Tickets of the bound organization. Each write is one transaction that re-reads the acting
 * member (the guard's check may be stale: a prompt or a slow input lies between) and runs the
 * domain's decide on the actor and the ticket as they are there, then writes its plan (a null
 * plan writes nothing: `changed` false). The decide throws to refuse, also for a missing ticket.
 */
export interface TicketRepo {
  /**
   * Allocates the next number and inserts, in one transaction. Ticket create and import must be
   * serializable against each other: numbering is gapless and per org. The decide's event needs
   * the number the ticket gets.
   */
  create(input: NewTicket, decide: Decide<ActorState & NewTicketState, (number: number) => AuditInput>): Promise<TicketRecord>;
  findByNumber(number: number): Promise<TicketRecord | null>;
  list(query: TicketQuery): Promise<TicketRecord[]>;
  /** How many tickets the query matches, with no limit. */
  count(query: TicketFilterQuery): Promise<number>;
  /** Oldest first; null when there is no such ticket. */
  comments(number: number): Promise<CommentRecord[] | null>;
  // edit, setAssignee, setStatus and delete write each of `numbers` in turn, in ONE transaction:
  // the decide runs once per ticket, and one refusal rolls back all of them.
  edit(numbers: readonly number[], decide: Decide<TicketState, TicketEditPlan | null>): Promise<TicketChange[]>;
  /** null email: unassign. */
  setAssignee(
    numbers: readonly number[],
    email: string | null,
    decide: Decide<TicketState & AssigneeState, AuditInput | null>,
  ): Promise<TicketChange[]>;
  /** The decide also sees the org's workflow, read in the same transaction (the transition rules). */
  setStatus(
    numbers: readonly number[],
    decide: Decide<TicketState & { workflow: WorkflowRecord }, { status: TicketStatus; audit: AuditInput } | null>,
  ): Promise<TicketChange[]>;
  /** The decide's event needs the id the new comment gets. */
  addComment(
    number: number,
    body: string,
    decide: Decide<TicketState, (commentId: number) => AuditInput>,
  ): Promise<{ ticket: TicketRecord; comment: CommentRecord }>;
  /** Deletes the tickets with their comments and label links; returns what was deleted. */
  delete(numbers: readonly number[], decide: Decide<TicketState, AuditInput>): Promise<TicketRecord[]>;
  /**
   * All or nothing, in one transaction; numbers are allocated in input order (serializable with
   * create). The decide's event needs the first number; an empty list writes nothing.
   */
  importMany(
    tickets: NewTicket[],
    decide: Decide<ActorState & NewTicketState & { count: number }, (firstNumber: number) => AuditInput>,
    /** Told, now and then inside the transaction, how many rows are written. */
    progress?: (written: number, total: number) => void,
    /** Tickets written over (--on-duplicate update), in the same transaction. */
    updates?: ImportUpdates,
  ): Promise<{ firstNumber: number; count: number }>;
  /** The comments of these tickets (those that exist), each oldest first, by ticket number. */
  commentsOf(numbers: readonly number[]): Promise<Map<number, CommentRecord[]>>;
  /** The numbers of the tickets of the org with these `external` origins. */
  numbersByExternal(externals: readonly string[]): Promise<Map<string, number>>;
  /** Which of these (normalised) emails belong to members of the org. */
  memberEmails(emails: string[]): Promise<Set<string>>;
}
