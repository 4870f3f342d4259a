// The random-operation isolation test of test/unit/model.test.ts, through the built CLI: the same
// generator and model, each operation a real `tkt … --json` process run by the acting person
// (their own config dir and session), one after the other, on one store file. After every step:
// the exit code is the documented one, stdout holds no other organization's data (its slug, its
// ticket keys, rows it owns) and matches the model, a refusal printed nothing and changed nothing,
// and the store matches the model.
//
// Each run's setup (5 orgs, their members, roles, tickets, pending invitations) goes through the
// domain layer on the same file (fast); the random operations then go through the CLI.
// Default: 1 run x 60 operations. TKT_LONG_TESTS=1 (CI): 3 runs x 100. The seed is printed;
// TKT_MODEL_SEED=<seed> replays a failure (a failure is not shrunk: every step costs a process).
import { describe, expect, it } from 'vitest';
import * as auth from '../../src/domain/auth.js';
import { systemClock } from '../../src/store/ports/common.js';
import { parseStoreLocator } from '../../src/store/locator.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/ports/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { PASSWORD, Sandbox, type Person } from '../support/cli.js';
import { FAST_SCRYPT } from '../support/memory.js';
import { LONG, runModel, withTranscript } from '../support/model/drive.js';
import { step, Tally, type StepContext } from '../support/model/harness.js';
import { Model } from '../support/model/model.js';
import { planArbitrary, resolve, setupActions, USERS } from '../support/model/ops.js';
import { CliRunner, DomainRunner, type Runner } from '../support/model/runners.js';
import { pgRawDb } from '../support/raw-store.js';
import type { ObserveDb } from '../support/model/observe.js';

const RUNS = LONG ? 3 : 1;
const STEPS = LONG ? 100 : 60;

describe('random operations across organizations (real CLI processes, model-based)', () => {
  it(`${RUNS} run(s) x ${STEPS} CLI commands: exit codes, stdout and the store match the model`, async () => {
    let commands = 0;
    const tally = new Tally();
    await runModel({
      name: 'model test (CLI)',
      arbitrary: planArbitrary({ cli: true, steps: STEPS }),
      runs: RUNS,
      shrinkBudgetMs: 0,
      execute: async (plan) => {
        const sb = new Sandbox();
        const people = new Map<string, Person>();
        for (const email of USERS) people.set(email, await sb.person(email));
        // The setup's store, and a raw connection that observes it (on PostgreSQL: as the owner).
        let store: Store;
        let db: ObserveDb;
        if (sb.store === 'postgres') {
          store = await openStore(parseStoreLocator(sb.db, sb.dir));
          db = pgRawDb(sb.ownerDb);
        } else {
          const sqlite = openSqliteStore({ path: sb.dbPath });
          store = sqlite;
          db = sqlite.conn.sqlite;
        }
        const model = new Model(USERS, systemClock.now());
        const log: string[] = [];
        try {
          const deps = { store, clock: systemClock, scrypt: FAST_SCRYPT };
          const principals = new Map<string, auth.Principal>();
          const tokens = new Map<string, string>();
          for (const email of USERS) {
            const { sessionToken } = await auth.login(deps, { email, password: PASSWORD });
            tokens.set(email, sessionToken);
            if ('presentToken' in store) (store as { presentToken(t: string): void }).presentToken(sessionToken);
            principals.set(email, await auth.authenticate(deps, sessionToken, 'session'));
          }
          const domain = new DomainRunner(store, principals, () => systemClock.now());
          // A PostgreSQL store acts as one principal at a time (the token it presents to the
          // database): the setup's actions present their actor's session first.
          const present = (actor: string) => {
            if ('presentToken' in store) (store as { presentToken(t: string): void }).presentToken(tokens.get(actor)!);
          };
          const runner: Runner = {
            run: (action) => ('actor' in action && present(action.actor), domain.run(action)),
            interleave: (write, meanwhile) => (present(write.actor), domain.interleave(write, meanwhile)),
          };
          const setup: StepContext = { model, runner, db, advance: () => undefined, log };
          for (const action of setupActions(plan, model)) await step(setup, action);
          // The setup happened "elsewhere": nobody's config has an active org yet.
          model.forgetActiveOrgs();

          const ctx: StepContext = { ...setup, runner: new CliRunner(people) };
          for (const spec of plan.specs) {
            const action = resolve(spec, model);
            const predicted = await step(ctx, action);
            if (!predicted) continue;
            commands++;
            tally.add(action.kind, predicted.exit);
          }

          const check = await sb.run(['db', 'check', '--json'], { configDir: people.get(USERS[0]!)!.configDir });
          expect(check.code, check.stdout + check.stderr).toBe(0);
        } catch (err) {
          throw withTranscript(err, log);
        } finally {
          await store.close();
          sb.cleanup();
        }
      },
    });
    console.log(`model test (CLI): ${commands} random commands run as processes; outcomes per kind (count x exit code): ${tally}`);
    expect(commands).toBeGreaterThanOrEqual(RUNS * STEPS);
  }, (LONG ? 20 : 5) * 60_000);
});
