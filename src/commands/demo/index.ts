import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { ConfigFile } from '../../cli/config.js';
import type { Deps, Factory, Run } from '../../cli/define.js';
import type { Runtime } from '../../cli/runtime.js';
import { DEMO_PASSWORD, seedDemo, type DemoSeeder } from '../../domain/demo.js';
import type { Tenant } from '../../domain/guard.js';
import { acceptInvite, createInvite } from '../../domain/invites.js';
import { seedDemoTickets } from '../../domain/tickets/demo.js';
import { usageError } from '../../errors.js';
import { text, type CommandResult } from '../../output/types.js';
import type { Store } from '../../store/ports/store.js';

// Demo content added by other features (tickets) registers here.
const seeders: DemoSeeder[] = [seedDemoTickets];

/** The way people really join: the owner invites, the person accepts with the token. */
function memberAdder(store: Store) {
  return async (owner: Tenant, email: string, role: string): Promise<void> => {
    const { token } = await createInvite(owner, { email, role });
    const person = await store.identity.findUserByEmail(email);
    if (!person) throw new Error(`demo person ${email} was not signed up`);
    await acceptInvite(store, person.user, token);
  };
}

export type DemoOptions = Record<string, never>;

export function newCmdDemo(f: Factory, run: Run<DemoOptions, Deps> = demoRun) {
  return f.publicCommand(
    new Command('demo').description('build a ready-made store with two organizations kept apart, and show what to try'),
    { fields: ['db', 'password', 'orgs', 'configDirs'], options: () => ({}), run },
  );
}

/**
 * Always a new store: in a new temporary folder, or at --db when given on the command line and no
 * file is there yet. TKT_DB, .tkt.json and the default name the store people work in: the demo's
 * people and orgs must never land in it.
 */
async function demoStore(rt: Runtime): Promise<{ store: Store; dir: string }> {
  if (rt.globals.db !== undefined) {
    const locator = rt.storeLocator;
    const fix = 'leave --db out for a new store in a temporary folder, or give --db a path where no file exists yet';
    if (locator.kind !== 'sqlite') throw usageError(`tkt demo builds a new SQLite store; --db ${locator.label} is not a file path`, fix);
    if (exists(locator.path)) throw usageError(`tkt demo builds a new store, and ${locator.path} already exists`, fix);
    return { store: await rt.store({ create: true }), dir: path.dirname(locator.path) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-demo-'));
  return { store: await rt.openStoreAt(path.join(dir, 'demo.db'), { create: true }), dir };
}

/** Anything at the path, a dangling link included. */
function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export async function demoRun(_opts: DemoOptions, { rt }: Deps): Promise<CommandResult> {
  const { store, dir } = await demoStore(rt);
  const world = await seedDemo({ store, clock: rt.clock }, memberAdder(store), seeders);
  // Each demo person gets a config folder of their own, logged in to the demo store.
  const configDirs: Record<string, string> = {};
  for (const person of world.people) {
    const configDir = path.join(dir, 'tkt-demo-config', person.email.split('@')[0]!);
    await new ConfigFile({ TKT_CONFIG_DIR: configDir }).update(store.location, () => ({ session: person.sessionToken }));
    configDirs[person.email] = configDir;
  }
  const as = (email: string) => `TKT_DB=${store.location} TKT_CONFIG_DIR=${configDirs[email]}`;
  const lines = [
    '',
    `Demo store: ${store.location}  (everyone's password: ${DEMO_PASSWORD})`,
    ...world.orgs.map((o) => `  ${o.slug}: ${o.members.map((m) => `${m.email} (${m.role})`).join(', ')}`),
    ...world.notes.map((n) => `  ${n}`),
    '',
    'Try, as Alice (owner of acme-corp):',
    `  ${as('alice@acme.test')} tkt --org acme-corp org current`,
    `  ${as('alice@acme.test')} tkt --org globex org current      # exit 4: not her org`,
    `  ${as('alice@acme.test')} tkt --org acme-corp ticket list   # her org's tickets; GLOBEX-1 is exit 5 here`,
    'As Bob (member of acme-corp, viewer in globex):',
    `  ${as('bob@acme.test')} tkt org list`,
    `  ${as('bob@acme.test')} tkt --org globex ticket list       # the other org's tickets, read-only for him`,
    `  ${as('bob@acme.test')} tkt --org globex audit list         # exit 4: viewers cannot read the audit log`,
    '',
  ];
  return text({
    text: lines.join('\n'),
    id: store.location,
    json: { db: store.location, password: DEMO_PASSWORD, orgs: world.orgs, configDirs },
  });
}
