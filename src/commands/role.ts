import type { Command } from 'commander';
import * as roles from '../domain/roles.js';
import { expandPermissions, PERMISSIONS, WILDCARDS } from '../domain/permissions.js';
import type { Definer } from '../cli/legacy-define.js';
import { item, list, message } from '../output/types.js';
import type { RoleRecord } from '../store/ports/common.js';
import type { RoleSummary } from '../store/ports/roles.js';

const ROLE_FIELDS = ['code', 'name', 'permissions', 'system', 'members'] as const;
const ROLE_DETAIL_FIELDS = [...ROLE_FIELDS, 'effectivePermissions'] as const;

function roleView(role: RoleRecord, members: number | null) {
  return {
    code: role.code,
    name: role.name,
    permissions: role.permissions,
    system: role.isSystem,
    members,
    effectivePermissions: expandPermissions(role.permissions),
  };
}

type RoleView = ReturnType<typeof roleView>;

function roleItem(view: RoleView, text?: string, printOnlyCode = false) {
  return item({
    item: view,
    fields: ROLE_DETAIL_FIELDS,
    details: [
      { label: 'role', value: (r) => r.code, tone: () => 'accent' },
      { label: 'name', value: (r) => r.name },
      { label: 'system', value: (r) => (r.system ? 'yes' : 'no') },
      ...(view.members !== null ? [{ label: 'members', value: (r: RoleView) => String(r.members) }] : []),
      { label: 'permissions', value: (r) => r.permissions.join(',') },
      { label: 'grants', value: (r) => r.effectivePermissions.join(',') },
    ],
    id: (r) => r.code,
    ...(printOnlyCode ? { primary: (r: RoleView) => r.code } : {}),
    ...(text ? { message: text } : {}),
  });
}

export function registerRole(program: Command, define: Definer): void {
  const role = program.command('role').description('roles of the active organization and what they grant');

  define.orgAction(role.command('list').description('the roles, how many members hold each, what they grant'), 'role:read', async ({ tenant }) =>
    list({
      items: (await roles.listRoles(tenant)).map((r: RoleSummary) => roleView(r, r.members)),
      fields: ROLE_FIELDS,
      columns: [
        { header: 'ROLE', value: (r) => r.code, tone: () => 'accent' },
        { header: 'NAME', value: (r) => r.name },
        { header: 'SYSTEM', value: (r) => (r.system ? 'yes' : ''), tone: () => 'muted' },
        { header: 'MEMBERS', value: (r) => String(r.members) },
        { header: 'PERMISSIONS', value: (r) => r.permissions.join(',') },
      ],
      id: (r) => r.code,
    }),
  );

  define.orgAction(
    role.command('show').description('one role: its permissions, expanded, and how many hold it').argument('<role>', 'role code'),
    'role:read',
    async ({ args, tenant }) => {
      const found = await roles.showRole(tenant, args[0]!);
      return roleItem(roleView(found, found.members));
    },
  );

  define.orgAction<{ name: string; permissions: string }>(
    role
      .command('create')
      .description('create a custom role (only with permissions you hold)')
      .argument('<code>', 'role code: 2-32 characters of a-z, 0-9 and -')
      .requiredOption('--name <name>', 'display name')
      .requiredOption('--permissions <list>', 'comma-separated permissions (tkt role permissions)'),
    'role:manage',
    async ({ args, opts, tenant }) => {
      const created = await roles.createRole(tenant, { code: args[0]!, name: opts.name, permissions: opts.permissions });
      return roleItem(roleView(created, 0), `Created role ${created.code} in ${tenant.ctx.org.slug}.`, true);
    },
    { fields: ROLE_DETAIL_FIELDS },
  );

  define.orgAction<{ name?: string; permissions?: string }>(
    role
      .command('edit')
      .description("change a role's name or permissions (not owner; only within what you hold)")
      .argument('<code>', 'role code')
      .option('--name <name>', 'new display name')
      .option('--permissions <list>', 'the new, complete, comma-separated permission list'),
    'role:manage',
    async ({ args, opts, tenant }) => {
      const { before, after } = await roles.editRole(tenant, args[0]!, {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.permissions !== undefined ? { permissions: opts.permissions } : {}),
      });
      const changed = before.name !== after.name || before.permissions.join(',') !== after.permissions.join(',');
      const found = await roles.showRole(tenant, after.code);
      return roleItem(roleView(found, found.members), changed ? `Updated role ${after.code}; it applies from the next command of everyone who holds it.` : `Role ${after.code} was already like that.`);
    },
    { fields: ROLE_DETAIL_FIELDS },
  );

  define.orgAction<{ reassign?: string }>(
    role
      .command('delete')
      .description('delete a custom role; one still held needs --reassign')
      .argument('<code>', 'role code')
      .option('--reassign <role>', 'move the members who hold it to this role first'),
    'role:manage',
    async ({ args, opts, tenant }) => {
      const { role: deleted, reassigned } = await roles.deleteRole(tenant, args[0]!, opts.reassign);
      const moved = reassigned.length > 0 ? `; moved ${reassigned.length} member${reassigned.length === 1 ? '' : 's'} to ${opts.reassign}` : '';
      return message(`Deleted role ${deleted.code}${moved}.`, {
        deleted: deleted.code,
        reassignedTo: reassigned.length > 0 ? opts.reassign : null,
        reassigned: reassigned.map((m) => m.user.email),
      });
    },
    { fields: ['deleted', 'reassignedTo', 'reassigned'] },
  );

  define.orgAction(role.command('permissions').description('the catalogue of permissions a role can grant'), 'membership', async () =>
    list({
      items: [...PERMISSIONS, ...WILDCARDS].map((p) => ({ code: p.code, description: p.description })),
      fields: ['code', 'description'],
      columns: [
        { header: 'PERMISSION', value: (p) => p.code, tone: () => 'accent' },
        { header: 'GRANTS', value: (p) => p.description },
      ],
      id: (p) => p.code,
    }),
  );
}
