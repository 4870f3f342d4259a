// GitHub's own issue format, as `gh issue list --state all --limit 100000 --json
// number,title,body,state,stateReason,labels,assignees,author,createdAt,updatedAt,closedAt,comments`
// writes it, turned into the records of a tkt import. People are GitHub logins: `--people map.csv`
// (login,email) says which member each is; a login it does not name is an unknown person.
import { usageError } from '../../errors.js';
import { quoted } from '../../lib/text.js';
import * as validate from '../validate.js';

/** A person an import names: a (normalised) email, or a GitHub login no --people line maps. */
export type Who = { email: string } | { login: string };

export const whoText = (who: Who) => ('email' in who ? who.email : `@${who.login} (GitHub)`);

/** A record of an import, in tkt's terms, before its values are checked. */
export interface SourceRecord {
  title: unknown;
  body: unknown;
  /** A status name (`open`, `done`, `canceled`, …) or undefined. */
  status: unknown;
  priority: unknown;
  assignee: Who | null;
  labels: unknown;
  createdAt: unknown;
  updatedAt: unknown;
  external: unknown;
  comments: Array<{ author: Who; body: unknown; createdAt: unknown }>;
}

const object = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** `OPEN` → open; `CLOSED` with reason `NOT_PLANNED` → canceled; any other `CLOSED` → done. */
export function githubStatus(state: unknown, reason: unknown): string {
  if (typeof state !== 'string') throw usageError('state must be OPEN or CLOSED');
  switch (state.toUpperCase()) {
    case 'OPEN':
      return 'open';
    case 'CLOSED':
      return typeof reason === 'string' && reason.toUpperCase() === 'NOT_PLANNED' ? 'canceled' : 'done';
    default:
      throw usageError(`unknown state ${quoted(state)}`, 'GitHub states are OPEN and CLOSED');
  }
}

function login(value: unknown, field: string): string {
  const o = object(value);
  const name = o ? o.login : undefined;
  if (typeof name !== 'string' || name === '') throw usageError(`${field} must be an object with a login`);
  return name.toLowerCase();
}

/** A GitHub login as a person: the member --people maps it to, else the login alone. */
function person(name: string, people: ReadonlyMap<string, string>): Who {
  const email = people.get(name);
  return email !== undefined ? { email } : { login: name };
}

/** One issue of `gh issue list --json …` as a record of the import. Fields gh may add are ignored. */
export function fromGithub(raw: unknown, people: ReadonlyMap<string, string>): SourceRecord {
  const issue = object(raw);
  if (!issue) throw usageError('expected an object (an issue of gh issue list --json)');
  if (typeof issue.number !== 'number' || !Number.isSafeInteger(issue.number) || issue.number < 1) {
    throw usageError('number must be the issue number (a positive integer)');
  }
  const labels = issue.labels ?? [];
  if (!Array.isArray(labels)) throw usageError('labels must be an array');
  const assignees = issue.assignees ?? [];
  if (!Array.isArray(assignees)) throw usageError('assignees must be an array');
  const comments = issue.comments ?? [];
  if (!Array.isArray(comments)) throw usageError('comments must be an array');
  return {
    title: issue.title,
    body: issue.body,
    status: githubStatus(issue.state, issue.stateReason),
    priority: undefined,
    // tkt has one assignee: the first of GitHub's.
    assignee: assignees.length > 0 ? person(login(assignees[0], 'assignees[0]'), people) : null,
    labels: labels.map((l, i) => {
      const name = object(l)?.name ?? l;
      if (typeof name !== 'string') throw usageError(`labels[${i}] must have a name`);
      return name;
    }),
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    external: `github#${issue.number}`,
    comments: comments.map((c, i) => {
      const comment = object(c);
      if (!comment) throw usageError(`comments[${i}] must be an object`);
      // A deleted account (GitHub's "ghost") has no author.
      const author = comment.author === null || comment.author === undefined ? { login: 'ghost' } : person(login(comment.author, `comments[${i}].author`), people);
      return { author, body: comment.body, createdAt: comment.createdAt };
    }),
  };
}

/** `--people map.csv`: login,email lines (a first line `login,email` is a header), logins in any case. */
export async function parsePeople(text: string): Promise<Map<string, string>> {
  const { parse } = await import('csv-parse/sync');
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw usageError(`--people is not valid CSV: ${(err as Error).message}`);
  }
  const people = new Map<string, string>();
  rows.forEach((row, i) => {
    if (i === 0 && row[0]?.toLowerCase() === 'login' && row[1]?.toLowerCase() === 'email') return;
    const [name, email] = row;
    if (row.length !== 2 || !name || !email) throw usageError(`--people line ${i + 1}: expected login,email`);
    people.set(name.toLowerCase(), validate.email(email, `--people line ${i + 1}: email`));
  });
  return people;
}
