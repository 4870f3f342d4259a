import { expandPermissions } from '../../domain/permissions.js';
import { item } from '../../output/types.js';
import type { RoleRecord } from '../../store/ports/common.js';

export const ROLE_FIELDS = ['code', 'name', 'permissions', 'system', 'members'] as const;
export const ROLE_DETAIL_FIELDS = [...ROLE_FIELDS, 'effectivePermissions'] as const;

export function roleView(role: RoleRecord, members: number | null) {
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

export function roleItem(view: RoleView, text?: string, printOnlyCode = false) {
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
