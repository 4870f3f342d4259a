import { isoTime, item } from '../../output/types.js';
import type { MemberRecord } from '../../store/ports/members.js';

export const MEMBER_FIELDS = ['email', 'name', 'role', 'joinedAt'] as const;

export function memberView(m: MemberRecord) {
  return { email: m.user.email, name: m.user.name, role: m.role.code, joinedAt: isoTime(m.joinedAt) };
}

export type MemberView = ReturnType<typeof memberView>;

export function memberItem(view: MemberView, text: string) {
  return item({
    item: view,
    fields: MEMBER_FIELDS,
    details: [
      { label: 'email', value: (m) => m.email, tone: () => 'accent', email: true },
      { label: 'name', value: (m) => m.name },
      { label: 'role', value: (m) => m.role },
    ],
    id: (m) => m.email,
    message: text,
  });
}
