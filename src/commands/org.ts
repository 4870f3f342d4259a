import type { Command } from 'commander';
import * as orgAdmin from '../domain/org-admin.js';
import * as orgs from '../domain/orgs.js';
import { usageError } from '../errors.js';
import type { Definer } from '../cli/legacy-define.js';
import type { Runtime } from '../cli/runtime.js';
import { isoTime, item, list, message } from '../output/types.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';
import { unassignedNote } from './shared/unassigned.js';

export const ORG_FIELDS = ['slug', 'name', 'key', 'role', 'active', 'createdAt'] as const;

export function orgView(org: OrgRecord, role: RoleRecord, active: boolean) {
  return { slug: org.slug, name: org.name, key: org.ticketKey, role: role.code, active, createdAt: isoTime(org.createdAt) };
}

export type OrgView = ReturnType<typeof orgView>;

export function orgItem(view: OrgView, text?: string) {
  return item({
    item: view,
    fields: ORG_FIELDS,
    details: [
      { label: 'org', value: (o) => o.slug, tone: () => 'accent' },
      { label: 'name', value: (o) => o.name },
      { label: 'key', value: (o) => o.key },
      { label: 'role', value: (o) => o.role },
    ],
    id: (o) => o.slug,
    primary: (o) => o.slug,
    ...(text ? { message: text } : {}),
  });
}

/** After leaving or deleting an org that was the saved active one, forget it. */
async function forgetActiveOrg(rt: Runtime, orgId: number): Promise<boolean> {
  if (rt.usingToken || rt.savedConfig().activeOrgId !== orgId) return false;
  await rt.saveConfig(({ activeOrgId: _gone, ...rest }) => rest);
  return true;
}

const SWITCH_HINT = ' Pick another with tkt org switch.';

export function registerOrg(program: Command, define: Definer): Command {
  const org = program.command('org').description('organizations: create, list, switch, manage');

  define.userAction<{ slug?: string; key?: string }>(
    org
      .command('create')
      .description('create an organization; you become its owner and it becomes active')
      .argument('<name>', 'display name, e.g. "Acme Corp"')
      .option('--slug <slug>', 'identifier (default: from the name, e.g. acme-corp)')
      .option('--key <KEY>', 'ticket key prefix, 2-10 letters (default: from the name, e.g. ACME)'),
    async ({ args, opts, rt, principal }) => {
      const created = await orgs.createOrg(await rt.store(), principal, {
        name: args[0]!,
        ...(opts.slug !== undefined ? { slug: opts.slug } : {}),
        ...(opts.key !== undefined ? { key: opts.key } : {}),
      });
      let text = `Created ${created.slug} (tickets ${created.ticketKey}-1, ${created.ticketKey}-2, …)`;
      if (rt.usingToken) {
        text += '; with TKT_TOKEN nothing is saved as active, pass --org ' + created.slug;
      } else {
        await rt.saveConfig((c) => ({ ...c, activeOrgId: created.id }));
        text += ' and switched to it.';
      }
      return orgItem(orgView(created, { id: 0, code: 'owner', name: 'Owner', permissions: ['*'], isSystem: true }, !rt.usingToken), text);
    },
    { fields: ORG_FIELDS },
  );

  define.userAction(org.command('list').description('your organizations and your role in each'), async ({ rt, principal }) => {
    const activeId = rt.savedConfig().activeOrgId;
    const rows = (await orgs.listOrgs(await rt.store(), principal)).map(({ org: o, role }) => orgView(o, role, o.id === activeId));
    return list({
      items: rows,
      fields: ORG_FIELDS,
      columns: [
        { header: 'SLUG', value: (o) => o.slug, tone: (o) => (o.active ? 'success' : 'accent') },
        { header: 'NAME', value: (o) => o.name },
        { header: 'KEY', value: (o) => o.key },
        { header: 'ROLE', value: (o) => o.role },
        { header: 'ACTIVE', value: (o) => (o.active ? '*' : ''), tone: () => 'success' },
      ],
      id: (o) => o.slug,
      empty: 'You belong to no organization yet. Create one with tkt org create <name>.',
    });
  });

  define.userAction(
    org
      .command('switch')
      .description('make an organization the active one (a picker when no slug is given on a terminal)')
      .argument('[slug]', 'the organization to switch to'),
    async ({ args, rt, principal }) => {
      if (rt.usingToken) throw usageError('with TKT_TOKEN there is no saved active organization', 'pass --org <slug> or set TKT_ORG');
      const store = await rt.store();
      let slug = args[0];
      if (slug === undefined) {
        const mine = await orgs.listOrgs(store, principal);
        if (mine.length === 0) throw usageError('you belong to no organization yet', 'create one with tkt org create <name>');
        slug = await rt.prompter.select(
          'Switch to which organization?',
          mine.map(({ org: o, role }) => ({ value: o.slug, name: `${o.slug}  ${o.name}  (${role.code})` })),
          '<slug>',
        );
      }
      const ctx = await orgs.findMyOrg(store, principal, slug);
      await rt.saveConfig((c) => ({ ...c, activeOrgId: ctx.org.id }));
      return orgItem(orgView(ctx.org, ctx.role, true), `Switched to ${ctx.org.slug}.`);
    },
    { fields: ORG_FIELDS },
  );

  define.orgAction(org.command('current').description('the active organization and your role in it'), 'membership', async ({ tenant }) =>
    orgItem(orgView(tenant.ctx.org, tenant.ctx.role, true)),
  );

  define.orgAction(
    org.command('rename').description("change the organization's display name (slug and key stay)").argument('<name>', 'the new name'),
    'org:update',
    async ({ args, rt, tenant }) => {
      const { before, after } = await orgAdmin.renameOrg(tenant, args[0]!);
      const active = !rt.usingToken && rt.savedConfig().activeOrgId === after.id;
      const text = before.name === after.name ? `${after.slug} is already named "${after.name}".` : `Renamed ${after.slug} from "${before.name}" to "${after.name}".`;
      return orgItem(orgView(after, tenant.ctx.role, active), text);
    },
    { fields: ORG_FIELDS },
  );

  define.orgAction(
    org
      .command('transfer')
      .description('make a member the owner; you become admin (owners only)')
      .argument('<email>', 'the member who becomes owner'),
    'membership',
    async ({ args, tenant }) => {
      const { member } = await orgAdmin.transferOrg(tenant, args[0]!);
      const slug = tenant.ctx.org.slug;
      return message(`${member.user.email} is now an owner of ${slug}; you are now admin.`, {
        org: slug,
        owner: member.user.email,
        yourRole: 'admin',
      });
    },
    { fields: ['org', 'owner', 'yourRole'] },
  );

  define.orgAction(org.command('leave').description('leave the organization (not as its last owner)'), 'membership', async ({ rt, tenant }) => {
    const left = await orgAdmin.leaveOrg(tenant);
    const slug = tenant.ctx.org.slug;
    const wasActive = await forgetActiveOrg(rt, tenant.ctx.org.id);
    return message(`You left ${slug}${unassignedNote(left.unassigned)}.${wasActive ? SWITCH_HINT : ''}`, {
      left: slug,
      unassignedTickets: left.unassigned,
    });
  }, { fields: ['left', 'unassignedTickets'] });

  define.orgAction(
    org
      .command('delete')
      .description('delete an organization and everything in it (owners only; -y, or type the slug)')
      .argument('<slug>', 'the organization to delete (not taken from --org or the active one)'),
    'org:delete',
    async ({ rt, tenant }) => {
      const slug = tenant.ctx.org.slug;
      if (!rt.globals.yes) {
        if (!rt.prompter.interactive) {
          throw usageError(`deleting ${slug} needs a confirmation and prompting is off (--no-input or no terminal)`, `pass -y to delete ${slug} and everything in it`);
        }
        const typed = await rt.prompter.input(`This deletes ${slug} with all its tickets, members, roles and audit log. Type ${slug} to confirm:`, '-y');
        if (typed.trim() !== slug) throw usageError(`you typed ${JSON.stringify(typed.trim())}, not ${slug}; nothing was deleted`);
      }
      await orgAdmin.deleteOrg(tenant);
      const wasActive = await forgetActiveOrg(rt, tenant.ctx.org.id);
      return message(`Deleted ${slug} and everything in it.${wasActive ? SWITCH_HINT : ''}`, { deleted: slug });
    },
    { orgFromArgument: 0, fields: ['deleted'] },
  );

  return org;
}
