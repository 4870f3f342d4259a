// TEMPORARY, removed once every noun is in src/commands/<noun>/<verb>.ts (see define.ts).
// How a command is declared: a commander Command (argv → options) plus a run function that
// returns data. The access level is declared here and recorded, so the guard cannot be skipped
// and a test can walk the command tree to prove every org-scoped command declares a permission.
import type { Command } from 'commander';
import type { Command as TypedCommand, OptionValues } from '@commander-js/extra-typings';
import { declaredAccess } from './define.js';
import type { Principal } from '../domain/auth.js';
import type { Requirement, Tenant } from '../domain/guard.js';
import { render, selectFields } from '../output/render.js';
import type { CommandResult } from '../output/types.js';
import { renderTarget } from './io.js';
import type { Runtime } from './runtime.js';

export type Access =
  | { scope: 'public' }
  | { scope: 'user' }
  | { scope: 'org'; requirement: Requirement };

const declared = declaredAccess;

export type RuntimeFactory = (command: TypedCommand<unknown[], OptionValues, OptionValues>) => Runtime;

export interface Call<O = Record<string, unknown>> {
  /** Positional arguments, in the order the command declares them. */
  args: string[];
  opts: O;
  rt: Runtime;
}

export interface UserCall<O> extends Call<O> {
  principal: Principal;
}

export interface OrgCall<O> extends Call<O> {
  tenant: Tenant;
}

// The options object of each command is typed by the run function that receives it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOpts = any;

export interface ActionOptions {
  /**
   * The fields its JSON output has. A --json field list is checked against them before the
   * command runs, so a typo in it is exit 2 and writes nothing.
   */
  fields?: readonly string[];
}

export interface OrgActionOptions extends ActionOptions {
  /**
   * The organization is the slug in this positional argument (org delete <slug>), not --org or
   * the active one. It goes through the same guard.
   */
  orgFromArgument?: number;
}

export interface Definer {
  /** No login needed (signup, login, db, demo). */
  publicAction<O = AnyOpts>(cmd: Command, run: (call: Call<O>) => Promise<CommandResult>, options?: ActionOptions): Command;
  /** Needs a valid session or token, but no organization (org create, org list, auth token …). */
  userAction<O = AnyOpts>(cmd: Command, run: (call: UserCall<O>) => Promise<CommandResult>, options?: ActionOptions): Command;
  /** Passes through the tenant guard with the declared requirement. */
  orgAction<O = AnyOpts>(
    cmd: Command,
    requirement: Requirement,
    run: (call: OrgCall<O>) => Promise<CommandResult>,
    options?: OrgActionOptions,
  ): Command;
}

export function createDefiner(runtimeFor: RuntimeFactory): Definer {
  const attach = (
    cmd: Command,
    access: Access,
    body: (call: Call<AnyOpts>) => Promise<CommandResult>,
    options: ActionOptions = {},
  ) => {
    declared.set(cmd, access);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const rt = runtimeFor(command as never);
      try {
        if (options.fields && Array.isArray(rt.globals.json)) selectFields(rt.globals.json, options.fields);
        const result = await body({ args: command.processedArgs.map((a) => a as string), opts: command.opts(), rt });
        await render(
          result,
          renderTarget(rt.io, rt.terminal, rt.clock.now()),
          { json: rt.globals.json, quiet: rt.globals.quiet },
        );
        if (result?.failWith) throw result.failWith;
      } finally {
        await rt.close();
      }
    });
    return cmd;
  };
  return {
    publicAction: (cmd, run, options) => attach(cmd, { scope: 'public' }, run, options),
    userAction: (cmd, run, options) =>
      attach(cmd, { scope: 'user' }, async (call) => run({ ...call, principal: await call.rt.principal() }), options),
    orgAction: (cmd, requirement, run, options = {}) =>
      attach(cmd, { scope: 'org', requirement }, async (call) => {
        const slug = options.orgFromArgument !== undefined ? call.args[options.orgFromArgument] : undefined;
        const selection = slug !== undefined ? { ref: { slug }, source: 'argument' as const } : undefined;
        return run({ ...call, tenant: await call.rt.tenant(requirement, selection) });
      }, options),
  };
}
