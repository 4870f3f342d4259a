-- A ticket's history (ticket view) is its audit events: tkt shows them to whoever may read the
-- ticket, without audit:read. So do the policies: events about tickets (and the imports that
-- numbered them) are readable with ticket:read; the rest of the log still needs audit:read.
ALTER POLICY tkt_read ON audit_events USING (organization_id = ANY ((SELECT tkt_perm_orgs('audit:read'))::bigint[])
  OR (target_type IN ('ticket', 'tickets') AND organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[])));
