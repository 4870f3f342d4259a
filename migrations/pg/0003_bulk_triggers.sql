-- Imports insert thousands of tickets per statement: the search rows and the number check of new
-- tickets are made once per statement from its transition table, not once per row.
DROP TRIGGER tickets_search ON tickets;
--> statement-breakpoint
DROP TRIGGER tickets_number ON tickets;
--> statement-breakpoint
CREATE TRIGGER tickets_search AFTER UPDATE OF title, body ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_ticket_search_trigger();
--> statement-breakpoint
CREATE FUNCTION tkt_tickets_inserted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN organizations o ON o.id = n.organization_id WHERE n.number < 1 OR n.number >= o.next_ticket_number) THEN
    RAISE EXCEPTION 'tkt: tickets number was not allocated' USING ERRCODE = '23514';
  END IF;
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT n.organization_id, n.id, tkt_search_text(n.title) || ' ' || tkt_search_text(n.body) FROM new_rows n
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_inserted AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tkt_tickets_inserted();
--> statement-breakpoint
CREATE TRIGGER tickets_number BEFORE UPDATE OF number ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_ticket_number');
--> statement-breakpoint
REVOKE ALL ON FUNCTION tkt_tickets_inserted() FROM PUBLIC;
