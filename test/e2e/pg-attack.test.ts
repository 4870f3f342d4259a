// The second wall: a login role in tkt_app, holding the database credentials, connects with the
// driver and tries to read or change another organization's rows. Needs a PostgreSQL server:
// the postgres project's throwaway server (its admin URL, injected as pgCluster), or
// TKT_TEST_PG_URL (a role that may create databases and roles); skipped without either.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const injected = (inject as unknown as (key: string) => { adminUrl?: string } | undefined)('pgCluster');
const ADMIN_URL = injected?.adminUrl ?? process.env.TKT_TEST_PG_URL;
const BIN = path.resolve(__dirname, '../../bin/tkt.js');

function withUserAndDb(url: string, user: string, db: string): string {
  const u = url.replace(/^(postgres(?:ql)?:\/\/)(?:[^@/?#]*@)?/i, `$1${user}@`);
  return u.replace(/^(postgres(?:ql)?:\/\/[^/?#]*)\/[^?#]*/i, `$1/${db}`);
}

describe.skipIf(!ADMIN_URL)('PostgreSQL: row-level security against raw SQL', () => {
  const db = `tkt_attack_${process.pid}_${Date.now()}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-attack-'));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  let attacker: pg.Client;
  let appUrl = '';
  const tokens: Record<string, string> = {};
  let orgB = 0;
  let ticketB = 0;
  let bobId = 0;
  let shaB = '';

  const tkt = (who: string, args: string[], input?: string) =>
    execFileSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, TKT_DB: appUrl, TKT_CONFIG_DIR: path.join(home, who), TKT_TOKEN: '', NO_COLOR: '1' },
      input: input ?? '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  const dumpB = () =>
    ['ticket export', 'member list --json', 'audit list --json', 'invite list --json', 'role list --json', 'org list --json', 'workflow show --json', 'attachment list OB-1 --json']
      .map((c) => tkt('bob', c.split(' ')))
      .join('\n');

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tkt_attack_owner') THEN CREATE ROLE tkt_attack_owner LOGIN CREATEROLE; END IF; END $$`);
    await admin.query(`ALTER DATABASE ${db} OWNER TO tkt_attack_owner`);
    execFileSync(process.execPath, [BIN, 'db', 'migrate'], { env: { ...process.env, TKT_DB: withUserAndDb(ADMIN_URL!, 'tkt_attack_owner', db), TKT_CONFIG_DIR: home }, stdio: 'pipe' });
    await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tkt_attack_team') THEN CREATE ROLE tkt_attack_team LOGIN IN ROLE tkt_app; END IF; END $$`);
    appUrl = withUserAndDb(ADMIN_URL!, 'tkt_attack_team', db);
    for (const [who, org] of [['alice', 'Org A'], ['bob', 'Org B'], ['carol', null]] as const) {
      tkt(who, ['auth', 'signup', '--email', `${who}@x.io`, '--name', who, '--password-stdin'], 'correct-horse-battery\n');
      if (org) tkt(who, ['org', 'create', org, '--key', org === 'Org A' ? 'OA' : 'OB']);
      tokens[who] = tkt(who, ['auth', 'token', 'create', '--name', 'raw']).trim();
    }
    tkt('bob', ['ticket', 'create', '--title', 'secret plan of B', '--label', 'x']);
    tkt('bob', ['ticket', 'comment', 'OB-1', '--body', 'hush']);
    tkt('bob', ['ticket', 'assign', 'OB-1', '@me']);
    tkt('bob', ['invite', 'create', 'dave@x.io', '--role', 'member']);
    // B's own workflow and an attachment: tenant tables of issues 14 and 15.
    tkt('bob', ['workflow', 'status', 'add', 'b_secret_status', '--category', 'started']);
    tkt('bob', ['workflow', 'transition', 'deny', 'open', 'done']);
    fs.writeFileSync(path.join(home, 'hush.txt'), 'hush: the content of B');
    tkt('bob', ['attachment', 'add', 'OB-1', path.join(home, 'hush.txt')]);
    // Carol was a member of A and left: her token is live, her membership is not.
    const invite = tkt('alice', ['invite', 'create', 'carol@x.io', '--role', 'member']).trim();
    tkt('carol', ['invite', 'accept', invite]);
    tkt('carol', ['org', 'leave', '--org', 'org-a', '-y']);
    const revoked = tkt('alice', ['auth', 'token', 'create', '--name', 'gone']).trim();
    tokens.revoked = revoked;
    const owner = new pg.Client({ connectionString: withUserAndDb(ADMIN_URL!, 'tkt_attack_owner', db) });
    await owner.connect();
    orgB = (await owner.query("SELECT id FROM organizations WHERE slug = 'org-b'")).rows[0].id;
    ticketB = (await owner.query('SELECT id FROM tickets WHERE organization_id = $1', [orgB])).rows[0].id;
    bobId = (await owner.query("SELECT id FROM users WHERE email = 'bob@x.io'")).rows[0].id;
    shaB = (await owner.query('SELECT sha256 FROM attachment_blobs WHERE organization_id = $1', [orgB])).rows[0].sha256;
    await owner.query("UPDATE credentials SET revoked_at = 1 WHERE name = 'gone'");
    await owner.end();
    attacker = new pg.Client({ connectionString: appUrl });
    await attacker.connect();
  }, 120_000);

  afterAll(async () => {
    await attacker?.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    for (const role of ['tkt_attack_team', 'tkt_attack_owner']) await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin.end();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const TABLES = ['users', 'credentials', 'organizations', 'roles', 'memberships', 'org_people', 'invitations', 'tickets', 'labels', 'ticket_labels', 'comments', 'audit_events', 'ticket_search', 'tkt_settings',
    'workflow_statuses', 'workflow_transitions', 'attachment_blobs', 'attachment_chunks', 'attachments', 'org_imports'];

  /** Runs one statement as the attacker with these settings; the rows it returned, or 'refused'. */
  async function attempt(token: string | null, statement: string, params: unknown[] = []): Promise<Record<string, unknown>[] | 'refused'> {
    await attacker.query('BEGIN');
    try {
      if (token !== null) await attacker.query("SELECT set_config('tkt.token', $1, true)", [token]);
      await attacker.query("SELECT set_config('tkt.org', $1, true)", [String(orgB)]);
      const result = await attacker.query(statement, params);
      return result.rows ?? [];
    } catch {
      return 'refused';
    } finally {
      await attacker.query('ROLLBACK').catch(() => undefined);
    }
  }

  const foreign = (rows: Record<string, unknown>[] | 'refused') =>
    rows === 'refused'
      ? []
      : rows.filter((r) => [`"organization_id":${orgB}`, `"organization_id":"${orgB}"`, `"id":${orgB},"slug"`, 'bob@', 'secret plan', 'hush', 'org-b', 'dave@', 'b_secret_status', shaB].some((s) => JSON.stringify(r).includes(s)));

  /** Runs statements in one transaction (committed) as `token`; true when the database refused. */
  async function refused(token: string, ...statements: string[]): Promise<boolean> {
    try {
      await attacker.query('BEGIN');
      await attacker.query("SELECT set_config('tkt.token', $1, true)", [token]);
      for (const s of statements) await attacker.query(s);
      await attacker.query('COMMIT');
      return false;
    } catch {
      await attacker.query('ROLLBACK').catch(() => undefined);
      return true;
    }
  }

  it("rules beyond permissions hold in one's own org too: gapless numbers, an owner always, used invitations, revoked stays revoked", async () => {
    const a = tokens.alice!;
    expect(await refused(a, "UPDATE organizations SET next_ticket_number = next_ticket_number + 3 WHERE slug = 'org-a'")).toBe(true);
    expect(await refused(a, "UPDATE organizations SET next_audit_number = next_audit_number + 1 WHERE slug = 'org-a'")).toBe(true);
    expect(await refused(a, 'DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = $$alice@x.io$$)')).toBe(true);
    expect(await refused(a, "UPDATE invitations SET accepted_at = NULL, accepted_by = NULL")).toBe(true);
    expect(await refused(a, "UPDATE invitations SET expires_at = expires_at + 1")).toBe(true);
    expect(await refused(a, 'UPDATE credentials SET revoked_at = NULL WHERE revoked_at IS NOT NULL')).toBe(true);
    expect(await refused(a, "UPDATE roles SET permissions = 'member:read' WHERE code = 'owner'")).toBe(true);
    // What tkt refuses to an API token (alice's is one): creating credentials, revoking sessions.
    expect(await refused(a, "SELECT tkt_create_credential(tkt_uid(), 'token', 'x', repeat('a', 64), tkt_now() + 1000, NULL, NULL)")).toBe(true);
    expect(await refused(a, "UPDATE credentials SET revoked_at = 1 WHERE kind = 'session'")).toBe(true);
    expect(await refused(a, 'DELETE FROM audit_events')).toBe(true); // append-only: no DELETE grant
    expect(await refused(a, 'UPDATE tickets SET number = number + 100')).toBe(true); // no grant on the column
    // Attachments: numbered without gaps, added by their uploader only, content never rewritten.
    expect(await refused(a, "UPDATE organizations SET next_attachment_number = next_attachment_number + 2 WHERE slug = 'org-a'")).toBe(true);
    expect(await refused(a, 'UPDATE attachment_chunks SET data = data')).toBe(true); // no UPDATE grant
    expect(await refused(a, 'DELETE FROM attachment_blobs')).toBe(true); // no DELETE grant: content goes with its last attachment
    // The workflow: a status that tickets hold is not removed (the composite foreign key).
    expect(await refused(a, "INSERT INTO tickets (organization_id, number, title, status, reporter_id, created_at, updated_at) SELECT id, next_ticket_number, 'x', 'b_secret_status', tkt_uid(), 0, 0 FROM organizations WHERE slug = 'org-a'")).toBe(true);
    // And the same statements are not refused merely for being SQL: a legal change goes through.
    expect(await refused(a, "UPDATE organizations SET name = 'Org A2' WHERE slug = 'org-a'")).toBe(false);
  });

  it('with no token, every table that holds anything of an org or a user reads as empty or is refused', async () => {
    for (const t of TABLES) {
      const rows = await attempt(null, `SELECT * FROM ${t}`);
      expect(rows === 'refused' || rows.length === 0, `${t} without a token`).toBe(true);
    }
  });

  it('org A tokens, forged, revoked and removed-member tokens: at least 40 attacks, none returns or changes org B', async () => {
    const before = dumpB();
    const attackers = { alice: tokens.alice!, forged: 'tktp_forged', revoked: tokens.revoked!, removed: tokens.carol!, none: null };
    const statements: Array<[string, unknown[]?]> = [
      ...TABLES.map((t): [string] => [`SELECT * FROM ${t}`]),
      ['SELECT id, email, name FROM users'],
      ['SELECT password_hash FROM users'],
      ['SELECT token_hash FROM credentials'],
      ['SELECT token_hash FROM invitations'],
      ['SELECT * FROM tickets WHERE organization_id = $1', [orgB]],
      ['UPDATE tickets SET title = $2 WHERE organization_id = $1 RETURNING *', [orgB, 'pwned']],
      ['DELETE FROM tickets WHERE organization_id = $1 RETURNING *', [orgB]],
      ['DELETE FROM organizations WHERE id = $1 RETURNING *', [orgB]],
      ['UPDATE organizations SET name = $2 WHERE id = $1 RETURNING *', [orgB, 'pwned']],
      ['UPDATE organizations SET next_ticket_number = 1 WHERE id = $1 RETURNING *', [orgB]],
      ['INSERT INTO tickets (organization_id, number, title, reporter_id, created_at, updated_at) VALUES ($1, 1, $2, 1, 0, 0) RETURNING *', [orgB, 'x']],
      ['INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES ($1, 9, $2, 1, $3, 0) RETURNING *', [orgB, ticketB, 'x']],
      ['INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, created_at) VALUES ($1, 99, 1, $2, $2, $2, 0) RETURNING *', [orgB, 'x']],
      ['INSERT INTO roles (organization_id, code, name, permissions, created_at) VALUES ($1, $2, $2, $3, 0) RETURNING *', [orgB, 'evil', '*']],
      ['UPDATE roles SET permissions = $2 WHERE organization_id = $1 RETURNING *', [orgB, '*']],
      ['DELETE FROM roles WHERE organization_id = $1 RETURNING *', [orgB]],
      ['UPDATE memberships SET role_id = role_id WHERE organization_id = $1 RETURNING *', [orgB]],
      ['DELETE FROM memberships WHERE organization_id = $1 RETURNING *', [orgB]],
      ['INSERT INTO memberships (organization_id, user_id, role_id, created_at) SELECT $1, id, 1, 0 FROM users RETURNING *', [orgB]],
      ['UPDATE invitations SET revoked_at = 1 WHERE organization_id = $1 RETURNING *', [orgB]],
      ['INSERT INTO labels (organization_id, name) VALUES ($1, $2) RETURNING *', [orgB, 'x']],
      ['DELETE FROM ticket_labels WHERE organization_id = $1 RETURNING *', [orgB]],
      ['INSERT INTO ticket_search (organization_id, ticket_id, document) VALUES ($1, $2, $3) RETURNING *', [orgB, ticketB, 'x']],
      ['UPDATE credentials SET revoked_at = NULL RETURNING *'],
      ['UPDATE users SET name = $1 RETURNING *', ['pwned']],
      ['COPY tickets TO STDOUT'],
      ['COPY (SELECT * FROM comments) TO STDOUT'],
      ['SELECT tkt_credential(token_hash) FROM credentials'],
      ['SELECT tkt_member_orgs()'],
      ['SELECT tkt_perm_orgs($1)', ['ticket:read']],
      ['SELECT tkt_my_perms($1)', [orgB]],
      ['SELECT tkt_role_perms($1, 1)', [orgB]],
      ['SELECT tkt_password_params($1)', ['bob@x.io']],
      ['SELECT tkt_login($1, $2)', ['bob@x.io', 'scrypt$1$1$1$AA==$AAAAAAAAAAAAAAAAAAAAAA==']],
      ['SELECT tkt_create_credential(2, $1, NULL, $2, 99999999999999, NULL, NULL)', ['token', 'f'.repeat(64)]],
      ['SELECT tkt_change_password(NULL, $1)', ['scrypt$x']],
      ['SELECT tkt_revoke_by_hash($1, $2)', ['0'.repeat(64), 'token']],
      ['SELECT tkt_invite_state($1, NULL)', ['0'.repeat(64)]],
      ['SELECT tkt_invite_accept($1, NULL, $2)', ['0'.repeat(64), '{}']],
      ['SELECT tkt_invite_void($1, $2, $3)', ['0'.repeat(64), 'inviter-left', '{}']],
      ['SELECT tkt_reindex_ticket($1, $2)', [orgB, ticketB]],
      // search as the owner (migrations/pg/0018): B's ticket ids stay out of reach, word or prefix
      ['SELECT $1::bigint AS organization_id, id FROM tkt_search_ids($1, $2::tsquery) AS s(id)', [orgB, `'o${orgB}xsecret'`]],
      ['SELECT $1::bigint AS organization_id, id FROM tkt_search_ids($1, $2::tsquery) AS s(id)', [orgB, `'o${orgB}x':*`]],
      // ending a membership (migrations/pg/0023): B's assignments are neither listed nor released
      ['SELECT $1::bigint AS organization_id, n FROM tkt_assigned_numbers($1, $2) AS n', [orgB, bobId]],
      ['SELECT $1::bigint AS organization_id, n FROM tkt_release_assignments($1, $2, 0) AS n', [orgB, bobId]],
      ['SELECT $1::bigint AS organization_id, tkt_may_end_membership($1, $2) AS yes WHERE tkt_may_end_membership($1, $2)', [orgB, bobId]],
      ['SELECT $1::bigint AS organization_id, status, n FROM tkt_status_counts($1)', [orgB]],
      ['SELECT $1::bigint AS organization_id, n FROM tkt_move_status($1, $2, $3, 0) AS n', [orgB, 'open', 'b_secret_status']],
      ['SELECT tkt_create_org($1, $2, $3, $4, $5, $6, $7)', ['Org B', 'org-b', 'OB', '[]', 'owner', '[]', '{}']],
      // issue 14: B's workflow
      ['SELECT * FROM workflow_statuses WHERE organization_id = $1', [orgB]],
      ['UPDATE workflow_statuses SET name = $2 WHERE organization_id = $1 RETURNING *', [orgB, 'pwned']],
      ['DELETE FROM workflow_statuses WHERE organization_id = $1 AND code = $2 RETURNING *', [orgB, 'b_secret_status']],
      ['INSERT INTO workflow_statuses (organization_id, code, name, category, position, created_at) VALUES ($1, $2, $2, $3, 9, 0) RETURNING *', [orgB, 'evil', 'started']],
      ['INSERT INTO workflow_transitions (organization_id, from_status, to_status, allowed, created_at) VALUES ($1, $2, $3, true, 0) RETURNING *', [orgB, 'open', 'done']],
      ['DELETE FROM workflow_transitions WHERE organization_id = $1 RETURNING *', [orgB]],
      ['UPDATE tickets SET status = $2 WHERE organization_id = $1 RETURNING *', [orgB, 'b_secret_status']],
      // issue 15: B's attachments and their content
      ['SELECT * FROM attachments WHERE organization_id = $1', [orgB]],
      ['SELECT data FROM attachment_chunks WHERE organization_id = $1 AND sha256 = $2', [orgB, shaB]],
      ['SELECT * FROM attachment_blobs WHERE sha256 = $1', [shaB]],
      ['UPDATE attachments SET name = $2 WHERE organization_id = $1 RETURNING *', [orgB, 'x']],
      ['DELETE FROM attachments WHERE organization_id = $1 RETURNING *', [orgB]],
      ['INSERT INTO attachments (organization_id, number, ticket_id, sha256, name, size, content_type, uploader_id, created_at) VALUES ($1, 1, $2, $3, $4, 1, $4, 1, 0) RETURNING *', [orgB, ticketB, shaB, 'x']],
      ['INSERT INTO attachment_blobs (organization_id, sha256, size, created_at) VALUES ($1, $2, 1, 0) RETURNING *', [orgB, 'f'.repeat(64)]],
      ['INSERT INTO attachment_chunks (organization_id, sha256, seq, data) VALUES ($1, $2, 99, $3) RETURNING *', [orgB, shaB, Buffer.from([0])]],
      ['UPDATE attachment_chunks SET data = $2 WHERE organization_id = $1 RETURNING *', [orgB, Buffer.from([0])]],
      ['DELETE FROM attachment_chunks WHERE organization_id = $1 RETURNING *', [orgB]],
      ['UPDATE organizations SET attachment_quota = 1 WHERE id = $1 RETURNING *', [orgB]],
      ['SELECT * FROM tkt_attachment_problems(false)'],
      ['SELECT * FROM tkt_store_problems(false)'],
      // org import: only into an org the same transaction began
      ['SELECT tkt_archive_add($1, $2, $3)', [orgB, 'ticket', JSON.stringify({ number: 99, title: 'x', body: '', status: 'open', priority: 'none', assignee: null, reporter: { email: 'bob@x.io' }, labels: [], comments: [], createdAt: 0, updatedAt: 0 })]],
      ['SELECT tkt_archive_add($1, $2, $3)', [orgB, 'event', JSON.stringify({ actor: { email: 'bob@x.io' }, action: 'x', targetType: 'x', target: 'x', details: {}, createdAt: 0 })]],
      ['SELECT tkt_archive_chunk($1, $2, 0, $3)', [orgB, shaB, Buffer.from([0])]],
      ['SELECT tkt_archive_begin($1, $2, $3, $4, $5, $6, $7)', ['Org B', 'org-b', 'OB', '[]', 'owner', '[]', '[]']],
      ['INSERT INTO org_imports VALUES ($1, txid_current()) RETURNING *', [orgB]],
      ['SET ROLE tkt_attack_owner'],
      ['SET SESSION AUTHORIZATION tkt_attack_owner'],
      ['ALTER ROLE tkt_attack_team BYPASSRLS'],
      ['GRANT tkt_attack_owner TO tkt_attack_team'],
      ['ALTER TABLE tickets DISABLE ROW LEVEL SECURITY'],
      ['ALTER TABLE tickets NO FORCE ROW LEVEL SECURITY'],
      ['DROP POLICY tkt_read ON tickets'],
      ['CREATE POLICY evil ON tickets USING (true)'],
      ['SELECT * FROM tkt_migrations WHERE false'],
      ['TRUNCATE audit_events'],
    ];
    expect(statements.length).toBeGreaterThanOrEqual(40);
    for (const [who, token] of Object.entries(attackers)) {
      for (const [statement, params] of statements) {
        const rows = await attempt(token, statement, params ?? []);
        expect(foreign(rows), `${who}: ${statement}`).toEqual([]);
      }
    }
    // Alice's own org works: the wall is not a blanket refusal.
    const own = await attempt(tokens.alice!, 'SELECT slug FROM organizations');
    expect(own).toEqual([{ slug: 'org-a' }]);
    // B's own owner finds B's ticket through the search function the attacks above could not use.
    const search = 'SELECT $1::bigint AS organization_id, id FROM tkt_search_ids($1, $2::tsquery) AS s(id)';
    const found = await attempt(tokens.bob!, search, [orgB, `'o${orgB}xsecret'`]);
    expect(found === 'refused' ? found : found.map((r) => Number(r.id))).toEqual([Number(ticketB)]);
    const held = await attempt(tokens.bob!, 'SELECT n FROM tkt_assigned_numbers($1, $2) AS n', [orgB, bobId]);
    expect(held === 'refused' ? held : held.map((r) => Number(r.n))).toEqual([1]);
    expect(dumpB()).toBe(before);
  }, 120_000);
});
