-- Per-org workflows (issue 14), attachments (issue 15) and tickets' `external` origin (issue 12) on
-- PostgreSQL: the existing orgs get the four default statuses, the new tenant tables get row-level
-- security like the others (organization_id in every key; ENABLE + FORCE; a policy per statement
-- kind keyed on the principal's permissions), the counters and the quota are guarded, content no
-- attachment names goes with the last one that did, and the search index covers `external`.
-- Hand-written (drizzle-kit --custom); the tables are 0012 (generated), the tickets' status
-- foreign key 0014 (generated, after the statuses exist).

-- ---- the default workflow of every existing org, and the permission that changes it ----
INSERT INTO workflow_statuses (organization_id, code, name, category, position, is_default, created_at)
SELECT o.id, d.code, d.name, d.category, d.position, false, o.created_at
FROM organizations o
CROSS JOIN (VALUES ('open', 'Open', 'unstarted', 1), ('in_progress', 'In progress', 'started', 2),
  ('done', 'Done', 'completed', 3), ('canceled', 'Canceled', 'canceled', 4)) AS d(code, name, category, position);
--> statement-breakpoint
UPDATE roles SET permissions = permissions || ',workflow:manage'
WHERE is_system AND code = 'admin' AND (',' || permissions || ',') NOT LIKE '%,workflow:manage,%';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_catalogue() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['org:update', 'org:delete', 'member:read', 'member:invite', 'member:remove', 'member:role', 'role:read', 'role:manage',
    'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete', 'audit:read', 'workflow:manage']
$$;
--> statement-breakpoint
-- ---- a new org gets its first workflow in the same function that makes it ----
DROP FUNCTION tkt_create_org(text, text, text, jsonb, text, jsonb);
--> statement-breakpoint
CREATE FUNCTION tkt_create_org(p_name text, p_slug text, p_key text, p_roles jsonb, p_owner_role text, p_statuses jsonb, p_audit jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE me bigint := tkt_uid(); o organizations; owner_role bigint; r jsonb; rid bigint; now bigint := tkt_now();
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
    IF r->>'code' = p_owner_role THEN owner_role := rid; END IF;
  END LOOP;
  INSERT INTO memberships VALUES (o.id, me, owner_role, now);
  INSERT INTO workflow_statuses (organization_id, code, name, category, position, is_default, created_at)
  SELECT o.id, s->>'code', s->>'name', s->>'category', i, coalesce((s->>'isDefault')::boolean, false), now
  FROM jsonb_array_elements(p_statuses) WITH ORDINALITY AS x(s, i);
  UPDATE organizations SET next_audit_number = 2 WHERE id = o.id;
  INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
  VALUES (o.id, 1, me, p_audit->>'action', p_audit->>'targetType', p_audit->>'target', p_audit->>'details', now);
  RETURN jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name, 'ticketKey', o.ticket_key, 'createdAt', o.created_at);
END $$;
--> statement-breakpoint
-- ---- counters and the quota: the attachment counter only grows (ticket:comment), the quota needs org:update ----
CREATE OR REPLACE FUNCTION tkt_org_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'organizations') THEN RETURN NEW; END IF;
  held := tkt_my_perms(NEW.id);
  IF NEW.next_ticket_number < OLD.next_ticket_number OR NEW.next_comment_number < OLD.next_comment_number
     OR NEW.next_audit_number < OLD.next_audit_number OR NEW.next_invite_number < OLD.next_invite_number
     OR NEW.next_attachment_number < OLD.next_attachment_number THEN
    RAISE EXCEPTION 'tkt: organization counters only grow' USING ERRCODE = '42501';
  END IF;
  IF (NEW.name IS DISTINCT FROM OLD.name AND NOT tkt_grants(held, 'org:update'))
     OR (NEW.attachment_quota IS DISTINCT FROM OLD.attachment_quota AND NOT tkt_grants(held, 'org:update'))
     OR (NEW.next_ticket_number <> OLD.next_ticket_number AND NOT tkt_grants(held, 'ticket:create'))
     OR (NEW.next_comment_number <> OLD.next_comment_number AND NOT tkt_grants(held, 'ticket:comment'))
     OR (NEW.next_attachment_number <> OLD.next_attachment_number AND NOT tkt_grants(held, 'ticket:comment'))
     OR (NEW.next_invite_number <> OLD.next_invite_number AND NOT tkt_grants(held, 'member:invite'))
     OR (NEW.next_audit_number <> OLD.next_audit_number AND held = '') THEN
    RAISE EXCEPTION 'tkt: your role does not allow that change of the organization' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_gapless_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE o organizations;
BEGIN
  IF pg_has_role(session_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'organizations'), 'MEMBER') THEN
    RETURN NULL;
  END IF;
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
CREATE TRIGGER attachments_number BEFORE INSERT OR UPDATE OF number ON attachments FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_attachment_number');
--> statement-breakpoint
-- Content nobody refers to goes with the last attachment that did (also when its ticket is deleted);
-- its chunks go by cascade. No orphan chunk is left behind.
CREATE FUNCTION tkt_attachment_gc() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM attachments WHERE organization_id = OLD.organization_id AND sha256 = OLD.sha256) THEN
    DELETE FROM attachment_blobs WHERE organization_id = OLD.organization_id AND sha256 = OLD.sha256;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER attachments_blob_gc AFTER DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION tkt_attachment_gc();
--> statement-breakpoint
-- `db check`: attachment content store-wide, as the owner (row-level security would hide what a caller
-- may not read). The answer names orgs by id and counts, never content, hashes or names.
CREATE FUNCTION tkt_attachment_problems(p_quick boolean) RETURNS TABLE (check_name text, problem text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT 'orphans', format('org %s: a content (%s chunks) is used by no attachment', b.organization_id,
    (SELECT count(*) FROM attachment_chunks c WHERE c.organization_id = b.organization_id AND c.sha256 = b.sha256))
  FROM attachment_blobs b WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.organization_id = b.organization_id AND a.sha256 = b.sha256)
  UNION ALL
  SELECT 'shape', format('org %s: a content should be %s bytes, its %s chunks hold %s', b.organization_id, b.size, count(c.seq), coalesce(sum(length(c.data)), 0))
  FROM attachment_blobs b LEFT JOIN attachment_chunks c ON c.organization_id = b.organization_id AND c.sha256 = b.sha256
  GROUP BY b.organization_id, b.sha256, b.size
  HAVING b.size <> coalesce(sum(length(c.data)), 0) OR count(c.seq) <> coalesce(max(c.seq), -1) + 1
  UNION ALL
  SELECT 'shape', format('org %s: attachment #%s says %s bytes, its content is %s', a.organization_id, a.number, a.size, b.size)
  FROM attachments a JOIN attachment_blobs b ON b.organization_id = a.organization_id AND b.sha256 = a.sha256 WHERE a.size <> b.size
  UNION ALL
  SELECT 'sha', format('org %s: a content of %s bytes does not hash to its SHA-256', b.organization_id, b.size)
  FROM attachment_blobs b WHERE NOT p_quick AND encode(sha256((SELECT coalesce(string_agg(c.data, ''::bytea ORDER BY c.seq), ''::bytea)
    FROM attachment_chunks c WHERE c.organization_id = b.organization_id AND c.sha256 = b.sha256)), 'hex') <> b.sha256
$$;
--> statement-breakpoint
-- ---- the search index covers `external` (--search github#1234) ----
CREATE OR REPLACE FUNCTION tkt_reindex_ticket(org bigint, ticket bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT t.organization_id, t.id, tkt_org_terms(t.organization_id, tkt_search_text(t.title) || ' ' || tkt_search_text(coalesce(t.external, '')) || ' '
    || tkt_search_text(t.body) || ' ' ||
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
  SELECT n.organization_id, n.id, tkt_org_terms(n.organization_id, tkt_search_text(n.title) || ' ' || tkt_search_text(coalesce(n.external, '')) || ' '
    || tkt_search_text(n.body)) FROM new_rows n
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER tickets_search ON tickets;
--> statement-breakpoint
CREATE TRIGGER tickets_search AFTER UPDATE OF title, body, external ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_ticket_search_trigger();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_ticket_search_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body OR NEW.external IS DISTINCT FROM OLD.external THEN
    PERFORM tkt_reindex_ticket(NEW.organization_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A member who leaves (or is removed) has their tickets unassigned in the same change: the new row of
-- that UPDATE need not pass the USING clause again (an unassigned ticket is no longer "theirs"); it
-- stays in an org the principal is a member of. What may change is tkt_ticket_guard()'s to judge.
ALTER POLICY tkt_write ON tickets WITH CHECK (organization_id = ANY ((SELECT tkt_member_orgs())::bigint[]));
--> statement-breakpoint
-- Deleting a role clears role_id on its invitations, used ones included (role_code keeps the name):
-- that one change is allowed on an accepted invitation; nothing else about it ever changes.
CREATE OR REPLACE FUNCTION tkt_invitation_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE probe invitations;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'invitations') THEN RETURN NEW; END IF;
  probe := NEW;
  probe.role_id := OLD.role_id;
  IF NEW.role_id IS NULL AND OLD.role_id IS NOT NULL AND probe IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
  IF OLD.accepted_at IS NOT NULL OR NEW.accepted_at IS DISTINCT FROM OLD.accepted_at OR NEW.accepted_by IS DISTINCT FROM OLD.accepted_by
     OR NEW.token_hash <> OLD.token_hash OR NEW.email <> OLD.email OR NEW.inviter_id <> OLD.inviter_id
     OR NEW.expires_at > OLD.expires_at OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)
     OR (NEW.role_id IS NOT NULL AND NEW.role_id IS DISTINCT FROM OLD.role_id) THEN
    RAISE EXCEPTION 'tkt: invitations are used once and only revoked or voided' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- ---- row-level security on the new tenant tables ----
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['workflow_statuses', 'workflow_transitions', 'attachment_blobs', 'attachment_chunks', 'attachments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON %I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- The workflow: read by whoever reads or writes tickets (a new ticket's status is checked against it), changed with workflow:manage.
CREATE POLICY tkt_read ON workflow_statuses FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_insert ON workflow_statuses FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_update ON workflow_statuses FOR UPDATE USING (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]))
  WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_delete ON workflow_statuses FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON workflow_transitions FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_insert ON workflow_transitions FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_delete ON workflow_transitions FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('workflow:manage'))::bigint[]));
--> statement-breakpoint
-- Attachments: read with ticket:read; added with ticket:comment, by the principal as uploader; deleted with ticket:delete or by
-- their uploader (while a member). Content rows are added with them and go only with their last attachment (tkt_attachment_gc).
CREATE POLICY tkt_read ON attachment_blobs FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:comment'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_add ON attachment_blobs FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON attachment_chunks FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_add ON attachment_chunks FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON attachments FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_add ON attachments FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]) AND uploader_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_remove ON attachments FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:delete'))::bigint[])
  OR (uploader_id = tkt_uid() AND organization_id = ANY ((SELECT tkt_member_orgs())::bigint[])));
--> statement-breakpoint
-- ---- grants of the application role ----
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  EXECUTE format('GRANT UPDATE (next_attachment_number, attachment_quota) ON organizations TO %I', app);
  EXECUTE format('GRANT INSERT (external) ON tickets TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE (name, category, position, is_default), DELETE ON workflow_statuses TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, DELETE ON workflow_transitions TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON attachment_blobs, attachment_chunks TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, number, ticket_id, sha256, name, size, content_type, uploader_id, created_at), DELETE ON attachments TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_create_org(text, text, text, jsonb, text, jsonb, jsonb) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_attachment_problems(boolean) TO %I', app);
  REVOKE ALL ON FUNCTION tkt_create_org(text, text, text, jsonb, text, jsonb, jsonb), tkt_attachment_gc(), tkt_attachment_problems(boolean) FROM PUBLIC;
END $$;
