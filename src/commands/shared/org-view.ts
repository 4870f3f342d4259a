import { isoTime, item } from '../../output/types.js';
import type { OrgRecord, RoleRecord } from '../../store/ports/common.js';

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
