-- As on SQLite (migrations/0002): every indexed term is qualified by its organization (o7xzebra), so
-- a term or a prefix is a range of the index that holds only that org's entries, and the work of a
-- search never depends on what other organizations store.
CREATE FUNCTION tkt_org_terms(org bigint, terms text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(terms, '(\S+)', 'o' || org || 'x\1', 'g')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_reindex_ticket(org bigint, ticket bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT t.organization_id, t.id, tkt_org_terms(t.organization_id, tkt_search_text(t.title) || ' ' || tkt_search_text(t.body) || ' ' ||
    coalesce((SELECT string_agg(tkt_search_text(c.body), ' ' ORDER BY c.id) FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id), ''))
  FROM tickets t WHERE t.organization_id = org AND t.id = ticket
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_tickets_inserted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN organizations o ON o.id = n.organization_id WHERE n.number < 1 OR n.number >= o.next_ticket_number) THEN
    RAISE EXCEPTION 'tkt: tickets number was not allocated' USING ERRCODE = '23514';
  END IF;
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT n.organization_id, n.id, tkt_org_terms(n.organization_id, tkt_search_text(n.title) || ' ' || tkt_search_text(n.body)) FROM new_rows n
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END $$;
--> statement-breakpoint
UPDATE ticket_search SET document = tkt_org_terms(organization_id, document);
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_org_terms(bigint, text) TO %I', (SELECT value FROM tkt_settings WHERE key = 'app_role'));
  REVOKE ALL ON FUNCTION tkt_org_terms(bigint, text) FROM PUBLIC;
END $$;
