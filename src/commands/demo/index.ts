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

/** Into the store named by --db or TKT_DB, or else a new one in a new temporary folder. */
async function demoStore(rt: Runtime): Promise<{ store: Store; dir: string }> {
  const newFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-demo-'));
  if (rt.globals.db ?? rt.env.TKT_DB) {
    const locator = rt.storeLocator;
    return { store: await rt.store(), dir: locator.kind === 'sqlite' ? path.dirname(locator.path) : newFolder() };
  }
  const dir = newFolder();
  return { store: await rt.openStoreAt(path.join(dir, 'demo.db')), dir };
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
