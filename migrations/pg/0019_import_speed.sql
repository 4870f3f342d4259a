-- Imports at tens of thousands of tickets a second (issue 13). Same rules, same index, less work per row:
-- 1. The search row of a new ticket is computed in the statement, from its title, external and body
--    at once (a space never joins two words): the same terms as tkt_reindex_ticket writes. ASCII
--    text is folded by lower() and one regexp_replace (what unaccent, ICU lower() and [[:alnum:]]
--    do to ASCII: nothing, a-z, a-z0-9) and qualified by replace() (its words are one space apart);
--    other text by tkt_search_fold(), and only a text holding a run of a wide script (Han, Kana,
--    Hangul, Thai, …) goes through tkt_search_text's per-word pass.
-- 2. Comments re-index their tickets once per statement (a transition table), each ticket once,
--    not once per comment row.
-- 3. The insert policies of tickets and comments ask who the principal is once per statement
--    ((SELECT tkt_uid()): an initPlan), not once per row; what they admit is unchanged.
CREATE OR REPLACE FUNCTION tkt_tickets_inserted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN organizations o ON o.id = n.organization_id WHERE n.number < 1 OR n.number >= o.next_ticket_number) THEN
    RAISE EXCEPTION 'tkt: tickets number was not allocated' USING ERRCODE = '23514';
  END IF;
  -- New ticket ids have no search row yet (a plain INSERT; a conflict would be a bug, and fail).
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT n.organization_id, n.id, CASE
      WHEN d.t ~ '^[\u0001-\u007f]*$' THEN (SELECT CASE WHEN a.f = '' THEN '' ELSE 'o' || n.organization_id || 'x' || replace(a.f, ' ', ' o' || n.organization_id || 'x') END
        FROM (SELECT btrim(regexp_replace(lower(d.t COLLATE "C"), '[^a-z0-9]+', ' ', 'g')) AS f OFFSET 0) a)
      ELSE (SELECT tkt_org_terms(n.organization_id, CASE WHEN u.f !~ '[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]'
        THEN u.f ELSE tkt_search_text(d.t) END) FROM (SELECT tkt_search_fold(d.t) AS f OFFSET 0) u) END
  FROM new_rows n, LATERAL (SELECT n.title || ' ' || coalesce(n.external, '') || ' ' || n.body AS t OFFSET 0) d;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION tkt_comments_inserted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT t.organization_id, t.id, CASE
      WHEN d.t ~ '^[\u0001-\u007f]*$' THEN (SELECT CASE WHEN a.f = '' THEN '' ELSE 'o' || t.organization_id || 'x' || replace(a.f, ' ', ' o' || t.organization_id || 'x') END
        FROM (SELECT btrim(regexp_replace(lower(d.t COLLATE "C"), '[^a-z0-9]+', ' ', 'g')) AS f OFFSET 0) a)
      ELSE (SELECT tkt_org_terms(t.organization_id, CASE WHEN u.f !~ '[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]'
        THEN u.f ELSE tkt_search_text(d.t) END) FROM (SELECT tkt_search_fold(d.t) AS f OFFSET 0) u) END
  FROM (SELECT DISTINCT n.organization_id, n.ticket_id FROM new_rows n) k
    JOIN tickets t ON t.organization_id = k.organization_id AND t.id = k.ticket_id,
    LATERAL (SELECT t.title || ' ' || coalesce(t.external, '') || ' ' || t.body || ' ' || coalesce((SELECT string_agg(c.body, ' ' ORDER BY c.id) FROM comments c
      WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id), '') AS t OFFSET 0) d
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER comments_search ON comments;
--> statement-breakpoint
DROP FUNCTION tkt_comment_search_trigger();
--> statement-breakpoint
CREATE TRIGGER comments_inserted AFTER INSERT ON comments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tkt_comments_inserted();
--> statement-breakpoint
REVOKE ALL ON FUNCTION tkt_comments_inserted() FROM PUBLIC;
--> statement-breakpoint
ALTER POLICY tkt_create ON tickets WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create'))::bigint[]) AND reporter_id = (SELECT tkt_uid()));
--> statement-breakpoint
ALTER POLICY tkt_add ON comments WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]) AND author_id = (SELECT tkt_uid()));
--> statement-breakpoint
-- 4. An import that brings more tickets than a fifth of those the planner knows of (a first import
--    into a new store, say) refreshes the statistics of what it filled, in its own transaction:
--    planned with no statistics, a search right after it compared every ticket with every search
--    row (minutes for 10,000 tickets) until autovacuum's next ANALYZE. Only ANALYZE, of three tables.
CREATE FUNCTION tkt_import_analyze(p_count bigint) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_count < 1000 OR p_count < 0.2 * (SELECT reltuples FROM pg_class WHERE oid = 'public.tickets'::regclass) THEN
    RETURN false;
  END IF;
  ANALYZE tickets;
  ANALYZE ticket_search;
  ANALYZE ticket_labels;
  RETURN true;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  REVOKE ALL ON FUNCTION tkt_import_analyze(bigint) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_import_analyze(bigint) TO %I', (SELECT value FROM tkt_settings WHERE key = 'app_role'));
END $$;
