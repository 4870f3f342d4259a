-- A member whose role may change, assign, comment on or delete tickets reaches a ticket by its key
-- (ticket move/edit/assign/comment/delete), as on SQLite, where the command needs only that write
-- permission: the ticket must exist for them. Without ticket:read, PostgreSQL's row-level security
-- hid the row from the UPDATE's or DELETE's own WHERE (SELECT policies apply to the rows a write
-- reads), so such a command said "not found" (the model-based test, seed 1727286780).
ALTER POLICY tkt_read ON tickets USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete'))::bigint[]));
