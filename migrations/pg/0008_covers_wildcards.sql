-- "Holds every permission of that role" as tkt judges it: a wildcard the role grants (ticket:*, *)
-- stands for every permission of the catalogue it covers, so an admin holding each ticket:…
-- permission may give a role with ticket:*. (The catalogue is src/domain/permissions.ts.)
CREATE FUNCTION tkt_catalogue() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['org:update', 'org:delete', 'member:read', 'member:invite', 'member:remove', 'member:role', 'role:read', 'role:manage',
    'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete', 'audit:read']
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_covers(held text, wanted text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT tkt_grants(held, '*') OR NOT EXISTS (
    SELECT 1 FROM unnest(string_to_array(wanted, ',')) w
    CROSS JOIN LATERAL unnest(CASE WHEN w = '*' THEN tkt_catalogue()
      WHEN w LIKE '%:*' THEN ARRAY(SELECT c FROM unnest(tkt_catalogue()) c WHERE c LIKE split_part(w, ':', 1) || ':%')
      ELSE ARRAY[w] END) c
    WHERE w <> '' AND NOT tkt_grants(held, c))
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_catalogue() TO %I', (SELECT value FROM tkt_settings WHERE key = 'app_role'));
  REVOKE ALL ON FUNCTION tkt_catalogue() FROM PUBLIC;
END $$;
