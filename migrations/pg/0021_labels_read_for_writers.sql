-- As 0017 for tickets: a member whose role may change, assign, comment on or delete tickets (no
-- ticket:read) sees the labels of the ticket the command shows them, as on SQLite. Before, `ticket
-- assign` by such a member answered with the ticket's labels missing (the model-based test, seed
-- 1944191540, path 62:0:0:1:0:0:1:0:0).
ALTER POLICY tkt_read ON labels USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON ticket_labels USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete'))::bigint[]));
