-- Search fast under row-level security (1M tickets: `ticket list --search` took 640 ms in the
-- database, 5 ms as the owner). PostgreSQL evaluates a query's own conditions only after the
-- policies' (security-barrier) ones unless they are leakproof, and `tsvector @@ tsquery` is not: so,
-- as tkt_app, the GIN index on the documents could not be used, and every document of the org was
-- rebuilt and tested (a bitmap of the org's 100,000 rows through ticket_search_pk, then a filter).
-- tkt_search_ids() searches one org's documents as the owner (the GIN index applies) and applies
-- the same rule as the SELECT policy tkt_read of ticket_search: nothing unless the caller's role
-- grants ticket:read in that org. It returns ticket ids only; the tickets themselves are still read
-- through the tickets policies. `cap`: at most that many (the store counts up to a cap first, to
-- choose the shape of its query: the planner cannot see how many ids a function returns). In
-- PL/pgSQL, so that the query is planned for the actual org, words and cap (a custom plan), as a
-- query sent by the store would be: the word's frequency decides between the GIN index and a walk
-- of the org's documents, which a plan for unknown parameters cannot.
CREATE FUNCTION tkt_search_ids(org bigint, query tsquery, cap bigint DEFAULT NULL) RETURNS SETOF bigint LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT s.ticket_id FROM ticket_search s
  WHERE s.organization_id = org AND org = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[])
    AND to_tsvector('simple'::regconfig, s.document) @@ query
  LIMIT cap;
END $$;
--> statement-breakpoint
-- SELECT policies that called tkt_uid() (a hash and a credential lookup) once per row: the same
-- test, computed once per statement (an InitPlan).
ALTER POLICY tkt_self ON users USING (id = (SELECT tkt_uid()) OR EXISTS (
  SELECT 1 FROM org_people p WHERE p.user_id = users.id AND p.organization_id = ANY ((SELECT tkt_member_orgs())::bigint[])));
--> statement-breakpoint
ALTER POLICY tkt_own_read ON credentials USING (user_id = (SELECT tkt_uid()));
--> statement-breakpoint
ALTER POLICY tkt_read ON memberships USING (user_id = (SELECT tkt_uid()) OR organization_id = ANY ((SELECT tkt_perm_orgs('member:read', 'member:role', 'member:remove',
  'member:invite', 'role:manage', 'ticket:read', 'ticket:assign'))::bigint[]));
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_search_ids(bigint, tsquery, bigint) TO %I', (SELECT value FROM tkt_settings WHERE key = 'app_role'));
  REVOKE ALL ON FUNCTION tkt_search_ids(bigint, tsquery, bigint) FROM PUBLIC;
END $$;
