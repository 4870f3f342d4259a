-- `tkt org import` on PostgreSQL (issue 15): an archive's org is created and filled in ONE transaction
-- by its importer, with rows that name other people (reporters, authors, uploaders, actors) and
-- numbers with gaps (deleted tickets), which the policies and the gapless check refuse to anyone.
-- So it goes through SECURITY DEFINER functions: tkt_archive_begin() creates the org (the principal
-- its owner), its roles and workflow, and records that this transaction is filling it
-- (org_imports: organization_id, txid); tkt_archive_add() and tkt_archive_chunk() write one record
-- each, only into an org that the same transaction began and whose owner the principal is. People
-- are matched by email; an email without an account becomes the importer (as on SQLite).
CREATE TABLE org_imports (
  organization_id bigint PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  txid bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE org_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE org_imports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY owner_all ON org_imports TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE FUNCTION tkt_archive_begin(p_name text, p_slug text, p_key text, p_roles jsonb, p_owner_role text, p_statuses jsonb, p_transitions jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE me bigint := tkt_uid(); o organizations; owner_role bigint; r jsonb; rid bigint; now bigint := tkt_now(); roles_out jsonb := '{}';
BEGIN
  IF me IS NULL THEN RAISE EXCEPTION 'tkt: no principal' USING ERRCODE = '42501'; END IF;
  IF EXISTS (SELECT 1 FROM organizations WHERE slug = p_slug) THEN RETURN '"slug-taken"'; END IF;
  IF EXISTS (SELECT 1 FROM organizations WHERE ticket_key = p_key) THEN RETURN '"key-taken"'; END IF;
  BEGIN
    INSERT INTO organizations (slug, name, ticket_key, created_at) VALUES (p_slug, p_name, p_key, now) RETURNING * INTO o;
  EXCEPTION WHEN unique_violation THEN
    RETURN CASE WHEN SQLERRM LIKE '%ticket_key%' THEN '"key-taken"' ELSE '"slug-taken"' END;
  END;
  FOR r IN SELECT * FROM jsonb_array_elements(p_roles) LOOP
    INSERT INTO roles (organization_id, code, name, permissions, is_system, created_at)
    VALUES (o.id, r->>'code', r->>'name', r->>'permissions', true, now) RETURNING id INTO rid;
    roles_out := roles_out || jsonb_build_object(r->>'code', rid);
    IF r->>'code' = p_owner_role THEN owner_role := rid; END IF;
  END LOOP;
  IF owner_role IS NULL THEN RAISE EXCEPTION 'tkt: no owner role' USING ERRCODE = '42501'; END IF;
  INSERT INTO memberships VALUES (o.id, me, owner_role, now);
  INSERT INTO workflow_statuses (organization_id, code, name, category, position, is_default, created_at)
  SELECT o.id, s->>'code', s->>'name', s->>'category', i, coalesce((s->>'isDefault')::boolean, false), now
  FROM jsonb_array_elements(p_statuses) WITH ORDINALITY AS x(s, i);
  INSERT INTO workflow_transitions (organization_id, from_status, to_status, allowed, created_at)
  SELECT o.id, t->>'from', t->>'to', (t->>'allowed')::boolean, now FROM jsonb_array_elements(p_transitions) t;
  INSERT INTO org_imports VALUES (o.id, txid_current());
  RETURN jsonb_build_object('org', jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name, 'ticketKey', o.ticket_key, 'createdAt', o.created_at),
    'roles', roles_out);
END $$;
--> statement-breakpoint
-- The org this transaction began importing, when the principal owns it; else refused.
CREATE FUNCTION tkt_archive_check(p_org bigint) RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE me bigint := tkt_uid();
BEGIN
  IF me IS NULL OR NOT EXISTS (SELECT 1 FROM org_imports WHERE organization_id = p_org AND txid = txid_current())
     OR NOT tkt_grants(tkt_my_perms(p_org), '*') THEN
    RAISE EXCEPTION 'tkt: that organization is not being imported by you' USING ERRCODE = '42501';
  END IF;
  RETURN me;
END $$;
--> statement-breakpoint
-- The account of an email, or the importer's.
CREATE FUNCTION tkt_archive_person(p_email text, p_me bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT id FROM users WHERE email = lower(p_email)), p_me)
$$;
--> statement-breakpoint
-- One record of the archive: role, ticket (with labels and comments), content, attachment, event, invitation.
CREATE FUNCTION tkt_archive_add(p_org bigint, p_kind text, r jsonb) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE me bigint := tkt_archive_check(p_org); me_email text; id bigint; n bigint; c jsonb; l text; lid bigint; actor bigint; details jsonb; now bigint := tkt_now();
BEGIN
  SELECT email INTO me_email FROM users WHERE users.id = me;
  CASE p_kind
  WHEN 'role' THEN
    INSERT INTO roles (organization_id, code, name, permissions, is_system, created_at)
    VALUES (p_org, r->>'code', r->>'name', r->>'permissions', false, now) RETURNING roles.id INTO id;
  WHEN 'ticket' THEN
    UPDATE organizations SET next_ticket_number = greatest(next_ticket_number, (r->>'number')::bigint + 1) WHERE organizations.id = p_org;
    INSERT INTO tickets (organization_id, number, title, body, status, priority, assignee_id, reporter_id, created_at, updated_at)
    VALUES (p_org, (r->>'number')::bigint, r->>'title', r->>'body', r->>'status', r->>'priority',
      CASE WHEN lower(r->>'assignee') = me_email THEN me END, tkt_archive_person(r->'reporter'->>'email', me),
      (r->>'createdAt')::bigint, (r->>'updatedAt')::bigint) RETURNING tickets.id INTO id;
    FOR l IN SELECT DISTINCT x FROM jsonb_array_elements_text(r->'labels') x LOOP
      INSERT INTO labels (organization_id, name) VALUES (p_org, l) ON CONFLICT (organization_id, name) DO NOTHING;
      SELECT labels.id INTO lid FROM labels WHERE organization_id = p_org AND name = l;
      INSERT INTO ticket_labels VALUES (p_org, id, lid);
    END LOOP;
    FOR c IN SELECT * FROM jsonb_array_elements(r->'comments') LOOP
      UPDATE organizations SET next_comment_number = next_comment_number + 1 WHERE organizations.id = p_org RETURNING next_comment_number - 1 INTO n;
      INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at)
      VALUES (p_org, n, id, tkt_archive_person(c->'author'->>'email', me), c->>'body', (c->>'createdAt')::bigint);
    END LOOP;
  WHEN 'content' THEN
    INSERT INTO attachment_blobs (organization_id, sha256, size, created_at) VALUES (p_org, r->>'sha256', (r->>'size')::bigint, now);
    id := 0;
  WHEN 'attachment' THEN
    UPDATE organizations SET next_attachment_number = next_attachment_number + 1 WHERE organizations.id = p_org RETURNING next_attachment_number - 1 INTO n;
    INSERT INTO attachments (organization_id, number, ticket_id, sha256, name, size, content_type, uploader_id, created_at)
    VALUES (p_org, n, (SELECT t.id FROM tickets t WHERE t.organization_id = p_org AND t.number = (r->>'ticket')::bigint), r->>'sha256', r->>'name',
      (r->>'size')::bigint, r->>'contentType', tkt_archive_person(r->'uploader'->>'email', me), (r->>'createdAt')::bigint);
    id := n;
  WHEN 'event' THEN
    actor := tkt_archive_person(r->'actor'->>'email', me);
    details := r->'details';
    IF actor = me AND lower(r->'actor'->>'email') <> me_email THEN
      details := details || jsonb_build_object('importedActor', r->'actor');
    END IF;
    UPDATE organizations SET next_audit_number = next_audit_number + 1 WHERE organizations.id = p_org RETURNING next_audit_number - 1 INTO n;
    INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
    VALUES (p_org, n, actor, r->>'action', r->>'targetType', r->>'target', details::text, (r->>'createdAt')::bigint);
    id := n;
  WHEN 'invitation' THEN
    UPDATE organizations SET next_invite_number = next_invite_number + 1 WHERE organizations.id = p_org RETURNING next_invite_number - 1 INTO n;
    INSERT INTO invitations (organization_id, number, email, role_id, role_code, token_hash, inviter_id, created_at, expires_at)
    VALUES (p_org, n, r->>'email', coalesce((SELECT x.id FROM roles x WHERE x.organization_id = p_org AND x.code = r->>'roleCode'),
        (SELECT x.id FROM roles x WHERE x.organization_id = p_org AND x.code = 'member')),
      r->>'roleCode', r->>'tokenHash', me, now, (r->>'expiresAt')::bigint);
    id := n;
  ELSE
    RAISE EXCEPTION 'tkt: no such archive record kind %', p_kind USING ERRCODE = '22023';
  END CASE;
  RETURN id;
END $$;
--> statement-breakpoint
CREATE FUNCTION tkt_archive_chunk(p_org bigint, p_sha256 text, p_seq integer, p_data bytea) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM tkt_archive_check(p_org);
  INSERT INTO attachment_chunks (organization_id, sha256, seq, data) VALUES (p_org, p_sha256, p_seq, p_data);
END $$;
--> statement-breakpoint
-- An archive's numbers keep their gaps (deleted tickets): the org being imported in this transaction is exempt.
CREATE OR REPLACE FUNCTION tkt_gapless_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE o organizations;
BEGIN
  IF pg_has_role(session_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'organizations'), 'MEMBER') THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM org_imports WHERE organization_id = NEW.id AND txid = txid_current()) THEN RETURN NULL; END IF;
  SELECT * INTO o FROM organizations WHERE id = NEW.id;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF NEW.next_ticket_number > OLD.next_ticket_number AND (SELECT count(*) FROM tickets WHERE organization_id = NEW.id
       AND number >= OLD.next_ticket_number AND number < NEW.next_ticket_number) <> NEW.next_ticket_number - OLD.next_ticket_number
     OR NEW.next_comment_number > OLD.next_comment_number AND (SELECT count(*) FROM comments WHERE organization_id = NEW.id
       AND number >= OLD.next_comment_number AND number < NEW.next_comment_number) <> NEW.next_comment_number - OLD.next_comment_number
     OR NEW.next_audit_number > OLD.next_audit_number AND (SELECT count(*) FROM audit_events WHERE organization_id = NEW.id
       AND number >= OLD.next_audit_number AND number < NEW.next_audit_number) <> NEW.next_audit_number - OLD.next_audit_number
     OR NEW.next_invite_number > OLD.next_invite_number AND (SELECT count(*) FROM invitations WHERE organization_id = NEW.id
       AND number >= OLD.next_invite_number AND number < NEW.next_invite_number) <> NEW.next_invite_number - OLD.next_invite_number
     OR NEW.next_attachment_number > OLD.next_attachment_number AND (SELECT count(*) FROM attachments WHERE organization_id = NEW.id
       AND number >= OLD.next_attachment_number AND number < NEW.next_attachment_number) <> NEW.next_attachment_number - OLD.next_attachment_number THEN
    RAISE EXCEPTION 'tkt: numbers of organization % would have a gap', NEW.id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  REVOKE ALL ON FUNCTION tkt_archive_begin(text, text, text, jsonb, text, jsonb, jsonb), tkt_archive_check(bigint), tkt_archive_person(text, bigint),
    tkt_archive_add(bigint, text, jsonb), tkt_archive_chunk(bigint, text, integer, bytea) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_archive_begin(text, text, text, jsonb, text, jsonb, jsonb), tkt_archive_add(bigint, text, jsonb),
    tkt_archive_chunk(bigint, text, integer, bytea) TO %I', app);
END $$;
