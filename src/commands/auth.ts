import { Option, type Command } from 'commander';
import * as auth from '../domain/auth.js';
import * as invites from '../domain/invites.js';
import * as orgs from '../domain/orgs.js';
import { isTktError, usageError } from '../errors.js';
import type { Definer } from '../cli/define.js';
import { readAllStdin } from '../cli/io.js';
import * as parse from '../cli/parse.js';
import type { Runtime } from '../cli/runtime.js';
import { isoTime, item, list, message } from '../output/types.js';
import type { CredentialRecord } from '../store/ports/identity.js';

async function ask(rt: Runtime, value: string | undefined, question: string, flag: string): Promise<string> {
  return value ?? rt.prompter.input(question, flag);
}

async function readPassword(rt: Runtime, fromStdin: boolean, confirm: boolean): Promise<string> {
  if (fromStdin) {
    const all = await readAllStdin(rt.io, 'the password on stdin', 64 * 1024);
    return all.split(/\r?\n/)[0] ?? '';
  }
  const password = await rt.prompter.password('Password:', '--password-stdin');
  if (confirm && (await rt.prompter.password('Password again:', '--password-stdin')) !== password) {
    throw usageError('the two passwords differ');
  }
  return password;
}

const SESSION_FIELDS = ['email', 'name', 'store', 'expiresAt'] as const;
const TOKEN_FIELDS = ['id', 'name', 'token', 'createdAt', 'expiresAt'] as const;

function sessionResult(grant: auth.SessionGrant, store: string, text: string) {
  return item({
    item: { email: grant.user.email, name: grant.user.name, store, expiresAt: isoTime(grant.expiresAt) },
    fields: SESSION_FIELDS,
    details: [
      { label: 'user', value: (u) => `${u.name} <${u.email}>` },
      { label: 'store', value: (u) => u.store },
    ],
    id: (u) => u.email,
    message: text,
  });
}

function tokenRow(c: CredentialRecord, now: number) {
  const state = c.revokedAt !== null ? 'revoked' : c.expiresAt <= now ? 'expired' : 'active';
  return {
    id: c.id,
    name: c.name ?? '',
    state,
    createdAt: isoTime(c.createdAt),
    expiresAt: isoTime(c.expiresAt),
    lastUsedAt: isoTime(c.lastUsedAt),
  };
}

export function registerAuth(program: Command, define: Definer): void {
  const authCmd = program.command('auth').description('sign up, log in and out, API tokens');

  define.publicAction<{ email?: string; name?: string; passwordStdin?: boolean; invite?: string }>(
    authCmd
      .command('signup')
      .description('create an account on this store and log in')
      .option('--email <email>', 'your email address')
      .option('--name <name>', 'your name')
      .option('--password-stdin', 'read the password from the first line of stdin')
      .option('--invite <token>', 'join the organization that invited you, in the same step'),
    async ({ opts, rt }) => {
      const email = await ask(rt, opts.email, 'Email:', '--email');
      const name = await ask(rt, opts.name, 'Name:', '--name');
      const password = await readPassword(rt, Boolean(opts.passwordStdin), true);
      if (opts.invite !== undefined) {
        const joined = await invites.signupWithInvite(await rt.authDeps(), { email, name, password, token: opts.invite });
        await rt.saveConfig(() => ({ session: joined.grant.sessionToken, activeOrgId: joined.org.id }));
        const text = `Signed up as ${joined.user.email} and joined ${joined.org.slug} as ${joined.role.code}; it is your active organization.`;
        return sessionResult(joined.grant, rt.storeLabel, text);
      }
      const grant = await auth.signup(await rt.authDeps(), { email, name, password });
      await rt.saveConfig(() => ({ session: grant.sessionToken }));
      return sessionResult(grant, rt.storeLabel, `Signed up and logged in as ${grant.user.email}.`);
    },
    { fields: SESSION_FIELDS },
  );

  define.publicAction<{ email?: string; passwordStdin?: boolean }>(
    authCmd
      .command('login')
      .description('log in to this store')
      .option('--email <email>', 'your email address')
      .option('--password-stdin', 'read the password from the first line of stdin'),
    async ({ opts, rt }) => {
      const email = await ask(rt, opts.email, 'Email:', '--email');
      const password = await readPassword(rt, Boolean(opts.passwordStdin), false);
      const deps = await rt.authDeps();
      const grant = await auth.login(deps, { email, password });
      let previous: number | undefined;
      try {
        previous = rt.config.forStore(rt.storeLabel).activeOrgId;
      } catch {
        previous = undefined;
      }
      const activeOrgId = await orgs.orgToKeepActive(deps.store, grant.user.id, previous);
      await rt.saveConfig(() => ({ session: grant.sessionToken, ...(activeOrgId ? { activeOrgId } : {}) }));
      return sessionResult(grant, rt.storeLabel, `Logged in as ${grant.user.email}.`);
    },
    { fields: SESSION_FIELDS },
  );

  define.userAction(authCmd.command('logout').description('end this session on this store'), async ({ rt, principal }) => {
    if (principal.via === 'token') {
      throw usageError('you are authenticated by TKT_TOKEN, which logout does not end', 'revoke it with tkt auth token revoke <id>, or unset TKT_TOKEN');
    }
    await auth.logout(await rt.authDeps(), principal);
    await rt.saveConfig(() => ({}));
    return message(`Logged out of ${rt.storeLabel}.`, { loggedOut: true, email: principal.user.email });
  }, { fields: ['loggedOut', 'email'] });

  define.userAction(
    authCmd.command('status').description('who you are, on which store, in which organization'),
    async ({ rt, principal }) => {
      let org: { slug: string; name: string; role: string } | null = null;
      let warning: string | undefined;
      if (rt.orgSelection()) {
        try {
          const tenant = await rt.tenant('membership');
          org = { slug: tenant.ctx.org.slug, name: tenant.ctx.org.name, role: tenant.ctx.role.code };
        } catch (err) {
          if (!isTktError(err)) throw err;
          warning = `Warning: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
        }
      }
      return item({
        item: {
          email: principal.user.email,
          name: principal.user.name,
          store: rt.storeLabel,
          org: org?.slug ?? null,
          orgName: org?.name ?? null,
          role: org?.role ?? null,
          via: principal.via === 'token' ? 'token' : 'session',
          expiresAt: isoTime(principal.credential.expiresAt),
        },
        fields: ['email', 'name', 'store', 'org', 'orgName', 'role', 'via', 'expiresAt'],
        details: [
          { label: 'user', value: (s) => `${s.name} <${s.email}>` },
          { label: 'store', value: (s) => s.store },
          { label: 'org', value: (s) => (s.org ? `${s.org} (${s.orgName})` : 'none'), tone: (s) => (s.org ? 'accent' : 'muted') },
          { label: 'role', value: (s) => s.role ?? '-' },
          { label: 'via', value: (s) => (s.via === 'token' ? 'API token (TKT_TOKEN)' : 'session') },
          { label: 'expires', value: (s) => s.expiresAt ?? '' },
        ],
        id: (s) => s.email,
        ...(warning ? { message: warning } : {}),
      });
    },
  );

  const token = authCmd.command('token').description('API tokens for scripts and CI (use as TKT_TOKEN)');

  define.userAction<{ name: string; expires?: string }>(
    token
      .command('create')
      .description('create an API token; it is printed once')
      .requiredOption('--name <name>', 'what the token is for')
      .addOption(new Option('--expires <duration>', 'lifetime, 1m to 366d').default('90d')),
    async ({ opts, rt, principal }) => {
      const ttlMs = parse.duration(opts.expires ?? '90d', '--expires', {
        min: 60_000,
        max: auth.TOKEN_MAX_TTL_MS,
        describe: 'between 1 minute and 366 days',
      });
      const created = await auth.createToken(await rt.authDeps(), principal, { name: opts.name, ttlMs });
      const row = { ...created, createdAt: isoTime(created.createdAt), expiresAt: isoTime(created.expiresAt) };
      return item({
        item: row,
        fields: TOKEN_FIELDS,
        details: [
          { label: 'id', value: (t) => String(t.id) },
          { label: 'name', value: (t) => t.name },
          { label: 'expires', value: (t) => t.expiresAt ?? '' },
          { label: 'token', value: (t) => t.token, tone: () => 'strong' },
        ],
        id: (t) => t.token,
        primary: (t) => t.token,
        message: 'Copy the token now: it is shown only this once. Use it as TKT_TOKEN=<token>.',
      });
    },
    { fields: TOKEN_FIELDS },
  );

  define.userAction(token.command('list').description('your API tokens (never the secrets)'), async ({ rt, principal }) => {
    const now = rt.clock.now();
    const rows = (await auth.listTokens(await rt.authDeps(), principal)).map((c) => tokenRow(c, now));
    return list({
      items: rows,
      fields: ['id', 'name', 'state', 'createdAt', 'expiresAt', 'lastUsedAt'],
      columns: [
        { header: 'ID', value: (t) => String(t.id) },
        { header: 'NAME', value: (t) => t.name },
        { header: 'STATE', value: (t) => t.state, tone: (t) => (t.state === 'active' ? 'success' : 'muted') },
        { header: 'EXPIRES', value: (t) => t.expiresAt ?? '' },
        { header: 'LAST USED', value: (t) => t.lastUsedAt ?? 'never' },
      ],
      id: (t) => String(t.id),
      empty: 'No API tokens. Create one with tkt auth token create --name <name>.',
    });
  });

  define.userAction(
    token.command('revoke').description('revoke one of your API tokens').argument('<id>', 'token id (see tkt auth token list)'),
    async ({ args, rt, principal }) => {
      const id = parse.positiveInt(args[0]!, 'the token id');
      await auth.revokeToken(await rt.authDeps(), principal, id);
      return message(`Revoked token ${id}.`, { revoked: id });
    },
    { fields: ['revoked'] },
  );
}
