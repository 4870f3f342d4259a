// How a verb is declared. Each verb file (src/commands/<noun>/<verb>.ts) exports its options type,
// a builder `newCmd<Verb>(f, run?)` and its run function `<verb>Run(opts, deps)`, as gh does
// (pkg/cmd/<noun>/<verb>): the builder only turns argv into typed options; the factory `f` adds
// what runs between parsing and the run function (the runtime, the login, the tenant guard) and
// renders what the run function returns. Tests pass their own run function to see the options,
// or call the run function with their own deps.
//
// The access level is declared through the factory and recorded, so the guard cannot be skipped
// and a test can walk the command tree to prove every org-scoped command declares a permission.
//
// What a verb reads (a body on stdin or from a file, an import) it declares as its `input` step,
// which runs BEFORE the guard: the membership and the role are then checked after the person has
// finished typing, not before. (A prompt that needs the guard's answer, like a confirmation that
// names the ticket, still comes after it; every write re-checks inside its transaction anyway.)
import type { Command, OptionValues } from '@commander-js/extra-typings';
import type { Principal } from '../domain/auth.js';
import type { Requirement, Tenant } from '../domain/guard.js';
import { hintOtherOrg } from '../domain/tickets/rules.js';
import { render, selectFields } from '../output/render.js';
import type { CommandResult } from '../output/types.js';
import { globalOptions } from './globals.js';
import { renderTarget, type IO } from './io.js';
import type { Runtime } from './runtime.js';

export type Access =
  | { scope: 'public' }
  | { scope: 'user' }
  | { scope: 'org'; requirement: Requirement };

// Commander's commands are of many generic shapes; the registry only needs their identity.
const declared = new WeakMap<object, Access>();

export function accessOf(command: object): Access | undefined {
  return declared.get(command);
}

const jsonFields = new WeakMap<object, readonly string[]>();

/** The fields a command's --json output has, when it declares them. */
export function jsonFieldsOf(command: object): readonly string[] | undefined {
  return jsonFields.get(command);
}

/** What every run function gets besides its options. */
export interface Deps {
  rt: Runtime;
}

/** A command that needs a valid session or token, but no organization. */
export interface UserDeps extends Deps {
  principal: Principal;
}

/** A command that passed the tenant guard: its data access is bound to one organization. */
export interface OrgDeps extends Deps {
  tenant: Tenant;
}

/** `input`: what the verb's input step read (undefined without one). */
export type Run<O, D, I = undefined> = (opts: O, deps: D, input: I) => Promise<CommandResult>;

/** What an input step may use: the streams and the folder files are named from, not the store. */
export interface InputSource {
  io: IO;
  cwd: string;
  /** For $VISUAL / $EDITOR. */
  env: NodeJS.ProcessEnv;
}

/** Builds the Runtime of one invocation from the command's parsed global options. */
export type RuntimeFactory = (command: Command<unknown[], OptionValues, OptionValues>) => Runtime;

type Params<C> = C extends Command<infer A, infer F, OptionValues> ? [...A, F] : never;

export interface Spec<C, O, D, I = undefined> {
  /** The verb's options, from its parsed arguments and flags (values as typed; checks come in run). */
  options: (...params: Params<C>) => O;
  /** Reads the verb's input (stdin, a file) before the login and the guard; run gets the result. */
  input?: (opts: O, source: InputSource) => Promise<I>;
  run: Run<O, D, I>;
  /**
   * The fields its JSON output has. A --json field list is checked against them before the
   * command runs, so a typo in it is exit 2 and writes nothing.
   */
  fields?: readonly string[];
}

export interface OrgSpec<C, O, I = undefined> extends Spec<C, O, OrgDeps, I> {
  requirement: Requirement;
  /**
   * The organization named by the options (org delete <slug>) instead of --org or the active one.
   * It goes through the same guard.
   */
  org?: (opts: O) => string;
}

// `C extends Command<any, any, any>`: each verb's own argument and flag types flow into its Spec.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = Command<any, any, any>;

export interface Factory {
  /** No login needed (signup, login, db, demo). */
  publicCommand<C extends AnyCommand, O, I = undefined>(cmd: C, spec: Spec<C, O, Deps, I>): C;
  /** Needs a valid session or token, but no organization (org create, org list, auth token …). */
  userCommand<C extends AnyCommand, O, I = undefined>(cmd: C, spec: Spec<C, O, UserDeps, I>): C;
  /** Passes through the tenant guard with the declared requirement. */
  orgCommand<C extends AnyCommand, O, I = undefined>(cmd: C, spec: OrgSpec<C, O, I>): C;
}

type Body<O, I> = (opts: O, rt: Runtime, input: I) => Promise<CommandResult>;

/** The factory the CLI runs with. */
export function createFactory(runtimeFor: RuntimeFactory): Factory {
  function attach<C extends AnyCommand, O, I>(cmd: C, access: Access, spec: Spec<C, O, never, I>, body: Body<O, I>): C {
    declared.set(cmd, access);
    if (spec.fields) jsonFields.set(cmd, spec.fields);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command<unknown[], OptionValues, OptionValues>;
      const opts = spec.options(...(params.slice(0, -1) as Params<C>));
      const rt = runtimeFor(command);
      try {
        const { json, quiet } = rt.globals;
        if (spec.fields && Array.isArray(json)) selectFields(json, spec.fields);
        const input = spec.input ? await spec.input(opts, { io: rt.io, cwd: rt.cwd, env: rt.env }) : (undefined as I);
        const result = await body(opts, rt, input);
        await render(result, renderTarget(rt.io, rt.terminal, rt.clock.now()), { json, quiet });
        if (result?.failWith) throw result.failWith;
      } finally {
        await rt.close();
      }
    });
    return cmd;
  }
  return {
    publicCommand: (cmd, spec) => attach(cmd, { scope: 'public' }, spec, (opts, rt, input) => spec.run(opts, { rt }, input)),
    userCommand: (cmd, spec) =>
      attach(cmd, { scope: 'user' }, spec, async (opts, rt, input) => spec.run(opts, { rt, principal: await rt.principal() }, input)),
    orgCommand: (cmd, spec) =>
      attach(cmd, { scope: 'org', requirement: spec.requirement }, spec, async (opts, rt, input) => {
        const slug = spec.org?.(opts);
        const selection = slug !== undefined ? { ref: { slug }, source: 'argument' as const } : undefined;
        const tenant = await rt.tenant(spec.requirement, selection);
        let result: CommandResult;
        try {
          result = await spec.run(opts, { rt, tenant }, input);
        } catch (err) {
          throw await hintOtherOrg(err, tenant.ctx.user, (await rt.store()).directory);
        }
        return rt.terminal.stderrIsTTY ? namingOrg(result, tenant.ctx.org.slug) : result;
      }),
  };
}

/**
 * On a terminal, what an org-scoped command says it did names the org it did it in ("Created
 * ACME-5: … (in acme-corp)"), so an org picked by TKT_ORG or a .tkt.json is never a surprise.
 * A message that names the org already is left as it is. JSON and piped output are unchanged.
 */
export function namingOrg(result: CommandResult, slug: string): CommandResult {
  if (!result?.message) return result;
  const named = new RegExp(`(^|[^a-z0-9-])${slug.replace(/[^a-z0-9]/g, '\\$&')}($|[^a-z0-9-])`).test(result.message);
  if (named) return result;
  const stop = result.message.endsWith('.') ? '.' : '';
  return { ...result, message: `${result.message.slice(0, result.message.length - stop.length)} (in ${slug})${stop}` };
}

/**
 * A factory that only parses: each command hands its options straight to its run function, with
 * no runtime, store or guard. For argv → options tests (gh's TestNewCmd*).
 */
export function parseOnlyFactory(): Factory {
  function attach<C extends AnyCommand, O, I>(cmd: C, access: Access, spec: Spec<C, O, never, I>): C {
    declared.set(cmd, access);
    if (spec.fields) jsonFields.set(cmd, spec.fields);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command<unknown[], OptionValues, OptionValues>;
      globalOptions(command); // the same global-option checks as a real run
      await spec.run(spec.options(...(params.slice(0, -1) as Params<C>)), undefined as never, undefined as I);
    });
    return cmd;
  }
  return {
    publicCommand: (cmd, spec) => attach(cmd, { scope: 'public' }, spec),
    userCommand: (cmd, spec) => attach(cmd, { scope: 'user' }, spec),
    orgCommand: (cmd, spec) => attach(cmd, { scope: 'org', requirement: spec.requirement }, spec),
  };
}
