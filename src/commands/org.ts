import type { Command } from 'commander';
import * as orgs from '../domain/orgs.js';
import { usageError } from '../errors.js';
import type { Definer } from '../cli/define.js';
import { isoTime, item, list } from '../output/types.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';

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
  );

  define.orgAction(org.command('current').description('the active organization and your role in it'), 'membership', async ({ tenant }) =>
    orgItem(orgView(tenant.ctx.org, tenant.ctx.role, true)),
  );

  return org;
}
