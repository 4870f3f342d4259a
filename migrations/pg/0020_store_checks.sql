-- `tkt db check` on PostgreSQL, store-wide (as tkt_attachment_problems): what SQLite's check finds
-- with integrity_check, foreign_key_check and its tenant-consistency queries, answered by the
-- database as the owner of the tables, with org ids, numbers and counts only (never a title, a
-- name or an email), to any member of the application role.
-- p_quick: the search documents are not recomputed (only that every ticket has its row).
CREATE FUNCTION tkt_store_problems(p_quick boolean) RETURNS TABLE (check_name text, problem text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  fk record;
  present text;
  matches text;
  n bigint;
BEGIN
  -- Every foreign key validated, and every row's parent there (a constraint added NOT VALID, or
  -- rows written while its triggers were off, would break them).
  FOR fk IN
    SELECT c.conname, c.conrelid, c.confrelid, c.convalidated, c.conkey, c.confkey FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY c.conrelid::regclass::text, c.conname
  LOOP
    IF NOT fk.convalidated THEN
      check_name := 'foreign keys';
      problem := format('%s: constraint %s is not validated', fk.conrelid::regclass, fk.conname);
      RETURN NEXT;
    END IF;
    SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND '), string_agg(format('p.%I = c.%I', pa.attname, a.attname), ' AND ')
      INTO present, matches
      FROM unnest(fk.conkey, fk.confkey) AS k(ck, pk)
      JOIN pg_attribute a ON a.attrelid = fk.conrelid AND a.attnum = k.ck
      JOIN pg_attribute pa ON pa.attrelid = fk.confrelid AND pa.attnum = k.pk;
    EXECUTE format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)', fk.conrelid::regclass, present, fk.confrelid::regclass, matches)
      INTO n;
    IF n > 0 THEN
      check_name := 'foreign keys';
      problem := format('%s: %s rows reference a missing %s row (%s)', fk.conrelid::regclass, n, fk.confrelid::regclass, fk.conname);
      RETURN NEXT;
    END IF;
  END LOOP;

  -- The second wall and the rules the database keeps: row-level security on and forced on every
  -- table with organization_id, no trigger disabled.
  RETURN QUERY
  SELECT 'row-level security and triggers in place', format('%s: row-level security is %s', c.oid::regclass, CASE WHEN c.relrowsecurity THEN 'not forced' ELSE 'off' END)
  FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped)
  UNION ALL
  SELECT 'row-level security and triggers in place', format('%s: trigger %s is disabled', t.tgrelid::regclass, t.tgname)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  WHERE c.relnamespace = 'public'::regnamespace AND t.tgenabled = 'D';

  RETURN QUERY
  SELECT 'membership role belongs to the same org', format('org %s: user %s has a role of no org of theirs', m.organization_id, m.user_id)
  FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.organization_id = m.organization_id AND r.id = m.role_id)
  UNION ALL
  SELECT 'invitation role belongs to the same org', format('org %s: invitation %s has a role of another org', i.organization_id, i.number)
  FROM invitations i WHERE i.role_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.organization_id = i.organization_id AND r.id = i.role_id)
  UNION ALL
  SELECT 'ticket assignee is a member of the ticket org', format('org %s: ticket %s is assigned to user %s, not a member', t.organization_id, t.number, t.assignee_id)
  FROM tickets t WHERE t.assignee_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = t.organization_id AND m.user_id = t.assignee_id)
  UNION ALL
  SELECT 'comment belongs to a ticket of the same org', format('org %s: comment %s has no ticket in its org', c.organization_id, c.number)
  FROM comments c WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.organization_id = c.organization_id AND t.id = c.ticket_id)
  UNION ALL
  SELECT 'ticket label links stay inside one org', format('org %s: a label link of ticket id %s leaves its org', tl.organization_id, tl.ticket_id)
  FROM ticket_labels tl
  WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.organization_id = tl.organization_id AND t.id = tl.ticket_id)
     OR NOT EXISTS (SELECT 1 FROM labels l WHERE l.organization_id = tl.organization_id AND l.id = tl.label_id)
  UNION ALL
  SELECT 'ticket numbers are below the org counter', format('org %s: ticket number %s, the counter is at %s', t.organization_id, t.number, o.next_ticket_number)
  FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE t.number < 1 OR t.number >= o.next_ticket_number
  UNION ALL
  SELECT 'comment, audit event and invitation ids are below the org counters', format('org %s: comment %s, the counter is at %s', c.organization_id, c.number, o.next_comment_number)
  FROM comments c JOIN organizations o ON o.id = c.organization_id WHERE c.number < 1 OR c.number >= o.next_comment_number
  UNION ALL
  SELECT 'comment, audit event and invitation ids are below the org counters', format('org %s: audit event %s, the counter is at %s', a.organization_id, a.number, o.next_audit_number)
  FROM audit_events a JOIN organizations o ON o.id = a.organization_id WHERE a.number < 1 OR a.number >= o.next_audit_number
  UNION ALL
  SELECT 'comment, audit event and invitation ids are below the org counters', format('org %s: invitation %s, the counter is at %s', i.organization_id, i.number, o.next_invite_number)
  FROM invitations i JOIN organizations o ON o.id = i.organization_id WHERE i.number < 1 OR i.number >= o.next_invite_number
  UNION ALL
  -- The audit log is append-only: its numbers run 1, 2, … up to the counter, none missing.
  SELECT 'audit event numbers are gapless', format('org %s: %s audit events numbered up to %s', o.id, count(a.number), o.next_audit_number - 1)
  FROM organizations o LEFT JOIN audit_events a ON a.organization_id = o.id
  GROUP BY o.id, o.next_audit_number HAVING count(DISTINCT a.number) <> o.next_audit_number - 1
  UNION ALL
  SELECT 'search index rows match their ticket and org', format('org %s: ticket %s has no search row', t.organization_id, t.number)
  FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_search s WHERE s.organization_id = t.organization_id AND s.ticket_id = t.id)
  UNION ALL
  SELECT 'search index rows match their ticket and org', format('org %s: the search row of ticket %s does not match its title, body and comments', t.organization_id, t.number)
  FROM tickets t JOIN ticket_search s ON s.organization_id = t.organization_id AND s.ticket_id = t.id
  WHERE NOT p_quick AND regexp_replace(btrim(s.document), '\s+', ' ', 'g') IS DISTINCT FROM regexp_replace(btrim(tkt_org_terms(t.organization_id,
    tkt_search_text(t.title) || ' ' || tkt_search_text(coalesce(t.external, '')) || ' ' || tkt_search_text(t.body) || ' ' ||
    coalesce((SELECT string_agg(tkt_search_text(c.body), ' ' ORDER BY c.id) FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id), ''))),
    '\s+', ' ', 'g')
  UNION ALL
  SELECT 'ticket status is one of its org''s statuses', format('org %s: ticket %s has a status its org does not have', t.organization_id, t.number)
  FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM workflow_statuses s WHERE s.organization_id = t.organization_id AND s.code = t.status)
  UNION ALL
  SELECT 'workflow transitions stay inside one org', format('org %s: a transition names a status its org does not have', w.organization_id)
  FROM workflow_transitions w
  WHERE NOT EXISTS (SELECT 1 FROM workflow_statuses a WHERE a.organization_id = w.organization_id AND a.code = w.from_status)
     OR NOT EXISTS (SELECT 1 FROM workflow_statuses b WHERE b.organization_id = w.organization_id AND b.code = w.to_status)
  UNION ALL
  SELECT 'every org has a status for new tickets', format('org %s has no status for new tickets', o.id)
  FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM workflow_statuses s WHERE s.organization_id = o.id AND (s.category = 'unstarted' OR s.is_default))
  UNION ALL
  SELECT 'every org has an owner', format('org %s has no owner', o.id)
  FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = o.id AND r.code = 'owner');
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_store_problems(boolean) TO %I', app);
  REVOKE ALL ON FUNCTION tkt_store_problems(boolean) FROM PUBLIC;
END $$;
