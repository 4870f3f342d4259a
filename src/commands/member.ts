import type { Command } from 'commander';
import * as members from '../domain/members.js';
import type { Definer } from '../cli/define.js';
import { isoTime, item, list, message } from '../output/types.js';
import type { MemberRecord } from '../store/ports/members.js';

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
      { label: 'email', value: (m) => m.email, tone: () => 'accent' },
      { label: 'name', value: (m) => m.name },
      { label: 'role', value: (m) => m.role },
    ],
    id: (m) => m.email,
    message: text,
  });
}

export function unassignedNote(keys: string[]): string {
  return keys.length === 0 ? '' : `; unassigned ${keys.length} ticket${keys.length === 1 ? '' : 's'} (${keys.join(', ')})`;
}

export function registerMember(program: Command, define: Definer): void {
  const member = program.command('member').description('members of the active organization and their roles');

  define.orgAction(member.command('list').description('members and their roles'), 'member:read', async ({ tenant }) =>
    list({
      items: (await members.listMembers(tenant)).map(memberView),
      fields: MEMBER_FIELDS,
      columns: [
        { header: 'EMAIL', value: (m) => m.email, tone: () => 'accent' },
        { header: 'NAME', value: (m) => m.name },
        { header: 'ROLE', value: (m) => m.role, tone: (m) => (m.role === 'owner' ? 'strong' : undefined) },
        { header: 'JOINED', value: (m) => m.joinedAt ?? '', tone: () => 'muted' },
      ],
      id: (m) => m.email,
      empty: 'No members.',
    }),
  );

  define.orgAction(
    member
      .command('set-role')
      .description("change a member's role (never to one with permissions you do not hold)")
      .argument('<email>', 'the member')
      .argument('<role>', 'role code (tkt role list)'),
    'member:role',
    async ({ args, tenant }) => {
      const { member: changed, previous } = await members.setMemberRole(tenant, { email: args[0]!, role: args[1]! });
      const text =
        previous.id === changed.role.id
          ? `${changed.user.email} already has the role ${changed.role.code}.`
          : `${changed.user.email} is now ${changed.role.code} in ${tenant.ctx.org.slug} (was ${previous.code}).`;
      return memberItem(memberView(changed), text);
    },
    { fields: MEMBER_FIELDS },
  );

  define.orgAction(
    member
      .command('remove')
      .description('remove a member: their access ends at once and their tickets here are unassigned')
      .argument('<email>', 'the member'),
    'member:remove',
    async ({ args, tenant }) => {
      const removed = await members.removeMember(tenant, args[0]!);
      const slug = tenant.ctx.org.slug;
      return message(`Removed ${removed.member.user.email} from ${slug}${unassignedNote(removed.unassigned)}.`, {
        removed: removed.member.user.email,
        org: slug,
        role: removed.member.role.code,
        unassignedTickets: removed.unassigned,
      });
    },
    { fields: ['removed', 'org', 'role', 'unassignedTickets'] },
  );
}
