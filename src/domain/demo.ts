// Seeds a ready-made store that shows organizations kept apart. Everything goes through the same
// use cases a person's commands use.
import { conflict } from '../errors.js';
import type { Clock } from '../store/ports/common.js';
import type { Store } from '../store/ports/store.js';
import { authenticate, signup, type Principal } from './auth.js';
import { enterOrg, type Tenant } from './guard.js';
import { createOrg } from './orgs.js';
import type { ScryptParams } from '../lib/scrypt.js';

export const DEMO_PASSWORD = 'demo-password-123';

export interface DemoPerson {
  email: string;
  name: string;
  sessionToken: string;
}

export interface DemoWorld {
  people: DemoPerson[];
  orgs: Array<{ slug: string; name: string; members: Array<{ email: string; role: string }> }>;
  /** Filled in by the parts of tkt that add content (tickets). */
  notes: string[];
}

/** Extension point: later features add their demo content here, with tenants per org slug. */
export type DemoSeeder = (ctx: { tenants: Map<string, Map<string, Tenant>>; clock: Clock }) => Promise<string[]>;

export async function seedDemo(
  deps: { store: Store; clock: Clock; scrypt?: ScryptParams },
  addMember: (owner: Tenant, email: string, role: string) => Promise<void>,
  seeders: DemoSeeder[] = [],
): Promise<DemoWorld> {
  const status = await deps.store.admin.status();
  if (status.counts.users > 0) throw conflict(`the store ${deps.store.location} is not empty; the demo needs a new one`, 'omit --db to use a temp file');

  const people: DemoPerson[] = [];
  const principals = new Map<string, Principal>();
  for (const [email, name] of [
    ['alice@acme.test', 'Alice Anders'],
    ['bob@acme.test', 'Bob Brown'],
    ['carol@globex.test', 'Carol Chen'],
  ] as const) {
    const grant = await signup(deps, { email, name, password: DEMO_PASSWORD });
    people.push({ email, name, sessionToken: grant.sessionToken });
    principals.set(email, await authenticate(deps, grant.sessionToken, 'session'));
  }
  const plan: Array<{ name: string; owner: string; members: Array<[email: string, role: string]> }> = [
    { name: 'Acme Corp', owner: 'alice@acme.test', members: [['bob@acme.test', 'member']] },
    { name: 'Globex', owner: 'carol@globex.test', members: [['bob@acme.test', 'viewer']] },
  ];
  const tenants = new Map<string, Map<string, Tenant>>();
  const orgs: DemoWorld['orgs'] = [];
  for (const spec of plan) {
    const owner = principals.get(spec.owner)!;
    const org = await createOrg(deps.store, owner, { name: spec.name });
    const ownerTenant = await enterOrg(deps.store, owner, { ref: { id: org.id }, source: '--org' }, 'membership');
    const bySlug = new Map<string, Tenant>([[spec.owner, ownerTenant]]);
    const members = [{ email: spec.owner, role: 'owner' }];
    for (const [email, role] of spec.members) {
      await addMember(ownerTenant, email, role);
      bySlug.set(email, await enterOrg(deps.store, principals.get(email)!, { ref: { id: org.id }, source: '--org' }, 'membership'));
      members.push({ email, role });
    }
    tenants.set(org.slug, bySlug);
    orgs.push({ slug: org.slug, name: org.name, members });
  }
  const notes: string[] = [];
  for (const seed of seeders) notes.push(...(await seed({ tenants, clock: deps.clock })));
  return { people, orgs, notes };
}
