import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { DEMO_PASSWORD, seedDemo, type DemoSeeder } from '../domain/demo.js';
import type { Tenant } from '../domain/guard.js';
import { acceptInvite, createInvite } from '../domain/invites.js';
import { seedDemoTickets } from '../domain/tickets/demo.js';
import type { Definer } from '../cli/define.js';
import { ConfigFile } from '../cli/config.js';
import { item } from '../output/types.js';
import type { Store } from '../store/ports/store.js';

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

export function registerDemo(program: Command, define: Definer): void {
  define.publicAction(
    program
      .command('demo')
      .description('build a ready-made store with two organizations kept apart, and show what to try'),
    async ({ rt }) => {
      const explicit = rt.globals.db ?? rt.env.TKT_DB;
      const tempDir = explicit ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-demo-'));
      if (tempDir) rt.globals.db = path.join(tempDir, 'demo.db');
      const store = await rt.store();
      // The demo people's config folders go next to the store file, or into a temp folder.
      const locator = rt.storeLocator;
      const dir = tempDir ?? (locator.kind === 'sqlite' ? path.dirname(path.resolve(rt.cwd, explicit!)) : fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-demo-')));
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
      return item({
        item: { db: store.location, password: DEMO_PASSWORD, orgs: world.orgs, configDirs },
        fields: ['db', 'password', 'orgs', 'configDirs'],
        details: [],
        id: (d) => d.db,
        extra: () => lines.join('\n'),
      });
    },
    { fields: ['db', 'password', 'orgs', 'configDirs'] },
  );
}
