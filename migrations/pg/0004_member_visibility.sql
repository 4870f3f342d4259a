-- Who is a member is what tkt shows whenever it names an assignee or checks one: readable with every
-- permission whose commands do (ticket:read lists by assignee, member:role and member:remove name
-- their target), not only member:read. The same as tkt itself shows on SQLite.
ALTER POLICY tkt_read ON memberships USING (user_id = tkt_uid() OR organization_id = ANY ((SELECT tkt_perm_orgs('member:read', 'member:role', 'member:remove',
  'member:invite', 'role:manage', 'ticket:read', 'ticket:assign'))::bigint[]));
