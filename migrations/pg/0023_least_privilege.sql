-- Ending a membership unassigns the member's tickets there (an assignee must be a member: the
-- composite foreign key tickets_assignee_fk). Whoever may end it (the member leaving, or someone
-- holding member:remove whose role covers the member's) must find and release those tickets even
-- when their role cannot read tickets: as tkt_app, row-level security hid them, the store
-- unassigned nothing and the DELETE of the membership failed on the foreign key (exit 1; the
-- model-based test, seed 2095819312: a member whose role lost every ticket permission left).
-- Both functions apply the rule of memberships' DELETE policy and guard, and answer ticket numbers
-- only; the membership itself is still deleted by the caller, through that policy and guard.
CREATE FUNCTION tkt_may_end_membership(p_org bigint, p_user bigint) RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE held text; role_perms text; role_code text;
BEGIN
  IF NOT p_org = ANY (tkt_member_orgs()) THEN RETURN false; END IF;
  SELECT r.permissions, CASE WHEN r.is_system THEN r.code END INTO role_perms, role_code
    FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = p_org AND m.user_id = p_user;
  IF NOT FOUND THEN RETURN false; END IF;
  IF p_user = tkt_uid() THEN RETURN true; END IF;
  held := tkt_my_perms(p_org);
  RETURN tkt_grants(held, 'member:remove') AND tkt_covers(held, role_perms) AND (role_code IS DISTINCT FROM 'owner' OR tkt_grants(held, '*'));
END $$;
--> statement-breakpoint
CREATE FUNCTION tkt_assigned_numbers(p_org bigint, p_user bigint) RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
  SELECT t.number FROM tickets t
  WHERE t.organization_id = p_org AND t.assignee_id = p_user AND tkt_may_end_membership(p_org, p_user)
  ORDER BY t.number
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_release_assignments(p_org bigint, p_user bigint, p_at bigint) RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT tkt_may_end_membership(p_org, p_user) THEN
    RAISE EXCEPTION 'tkt: only the member or someone who may remove them releases their tickets' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY UPDATE tickets SET assignee_id = NULL, updated_at = p_at WHERE organization_id = p_org AND assignee_id = p_user RETURNING number;
END $$;
--> statement-breakpoint
-- The same for workflow changes: a role holding workflow:manage and no ticket permission counts
-- the tickets of each status and moves those of a removed status (or, on reset, of every status
-- that goes) as on SQLite. Under row-level security it saw none: a status in use looked empty and
-- its removal failed on tickets_status_fk. Counts for whoever may read the workflow or any ticket;
-- moves for workflow:manage only, between two statuses of that org (the foreign key).
CREATE FUNCTION tkt_status_counts(p_org bigint) RETURNS TABLE (status text, n bigint) LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
  SELECT t.status, count(*) FROM tickets t
  WHERE t.organization_id = p_org AND p_org = ANY ((SELECT tkt_perm_orgs('workflow:manage', 'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign',
    'ticket:comment', 'ticket:delete'))::bigint[])
  GROUP BY t.status
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_move_status(p_org bigint, p_from text, p_to text, p_at bigint) RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT p_org = ANY (tkt_perm_orgs('workflow:manage')) THEN
    RAISE EXCEPTION 'tkt: moving every ticket of a status needs workflow:manage' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY UPDATE tickets SET status = p_to, updated_at = p_at WHERE organization_id = p_org AND status = p_from RETURNING number;
END $$;
--> statement-breakpoint
-- tkt_move_status() changes statuses as the owner: the ticket guard's per-permission checks apply to
-- the principal's own statements, as the other guards' do (0001); a ticket still keeps its number,
-- reporter and creation time.
CREATE OR REPLACE FUNCTION tkt_ticket_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text;
BEGIN
  IF NEW.number <> OLD.number OR NEW.reporter_id <> OLD.reporter_id OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'tkt: a ticket keeps its number, reporter and creation time' USING ERRCODE = '42501';
  END IF;
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tickets') THEN RETURN NEW; END IF;
  held := tkt_my_perms(NEW.organization_id);
  IF (NEW.title <> OLD.title OR NEW.body <> OLD.body OR NEW.priority <> OLD.priority OR NEW.status <> OLD.status) AND NOT tkt_grants(held, 'ticket:update') THEN
    RAISE EXCEPTION 'tkt: changing a ticket needs ticket:update' USING ERRCODE = '42501';
  END IF;
  IF NEW.assignee_id IS DISTINCT FROM OLD.assignee_id AND NOT (tkt_grants(held, 'ticket:assign')
      OR (NEW.assignee_id IS NULL AND (OLD.assignee_id = tkt_uid() OR tkt_grants(held, 'member:remove')))) THEN
    RAISE EXCEPTION 'tkt: assigning needs ticket:assign' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- Least privilege (test/unit/least-privilege.test.ts runs every org-scoped operation as a role
-- holding exactly the permission its command needs): the same outcome as on SQLite.
-- ticket:create alone: the reporter reads the tickets they reported (INSERT … RETURNING, and the
-- ticket `ticket create` shows, were refused: every create failed with exit 4); reads the members,
-- to assign a new ticket; takes comment numbers, and adds comments in any member's name, only to
-- tickets it reported in the same transaction: what `ticket import` does, keeping authors.
-- org:update: `org export` writes everything of the org ("org:update; everything of the active
-- org"), and `org set` reports the attachment bytes used: its role reads what those read (on
-- PostgreSQL an export by a role without ticket:read had no tickets, comments or events: exit 0).
-- role:read: `role list` counts each role's holders.
ALTER POLICY tkt_read ON tickets USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete',
  'org:update'))::bigint[]) OR (reporter_id = (SELECT tkt_uid()) AND organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create'))::bigint[])));
--> statement-breakpoint
ALTER POLICY tkt_read ON memberships USING (user_id = (SELECT tkt_uid()) OR organization_id = ANY ((SELECT tkt_perm_orgs('member:read', 'member:role', 'member:remove',
  'member:invite', 'role:read', 'role:manage', 'ticket:read', 'ticket:create', 'ticket:assign', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON comments USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_add ON comments WITH CHECK (
  (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]) AND author_id = (SELECT tkt_uid()))
  OR (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create'))::bigint[]) AND EXISTS (
    SELECT 1 FROM tickets t WHERE t.organization_id = comments.organization_id AND t.id = comments.ticket_id
      AND t.reporter_id = (SELECT tkt_uid()) AND t.xmin = (SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text::xid))));
--> statement-breakpoint
ALTER POLICY tkt_read ON labels USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment',
  'ticket:delete', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON ticket_labels USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment',
  'ticket:delete', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON workflow_statuses USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'workflow:manage', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON workflow_transitions USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'workflow:manage', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON audit_events USING (organization_id = ANY ((SELECT tkt_perm_orgs('audit:read', 'org:update'))::bigint[])
  OR (target_type IN ('ticket', 'tickets') AND organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[])));
--> statement-breakpoint
-- ticket:comment alone: `attachment add` shows what it added (it was an empty list).
ALTER POLICY tkt_read ON attachments USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'org:update'))::bigint[])
  OR (uploader_id = (SELECT tkt_uid()) AND organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[])));
--> statement-breakpoint
ALTER POLICY tkt_read ON attachment_blobs USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:comment', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_read ON attachment_chunks USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'org:update'))::bigint[]));
--> statement-breakpoint
ALTER POLICY tkt_invite_read ON invitations USING (organization_id = ANY ((SELECT tkt_perm_orgs('member:invite', 'role:manage', 'org:update'))::bigint[]));
--> statement-breakpoint
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
     OR (NEW.next_comment_number <> OLD.next_comment_number AND NOT (tkt_grants(held, 'ticket:comment') OR tkt_grants(held, 'ticket:create')))
     OR (NEW.next_attachment_number <> OLD.next_attachment_number AND NOT tkt_grants(held, 'ticket:comment'))
     OR (NEW.next_invite_number <> OLD.next_invite_number AND NOT tkt_grants(held, 'member:invite'))
     OR (NEW.next_audit_number <> OLD.next_audit_number AND held = '') THEN
    RAISE EXCEPTION 'tkt: your role does not allow that change of the organization' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- `ticket import` skips or refuses tickets whose origin (`external`, e.g. github#12) the org has:
-- ticket:create alone must find them, as on SQLite. Origins and numbers only.
CREATE FUNCTION tkt_external_numbers(p_org bigint, p_externals text[]) RETURNS TABLE (external text, number bigint) LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
  SELECT t.external, t.number FROM tickets t
  WHERE t.organization_id = p_org AND t.external = ANY (p_externals)
    AND p_org = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update', 'org:update'))::bigint[])
$$;
--> statement-breakpoint
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  REVOKE ALL ON FUNCTION tkt_may_end_membership(bigint, bigint), tkt_assigned_numbers(bigint, bigint), tkt_release_assignments(bigint, bigint, bigint),
    tkt_status_counts(bigint), tkt_move_status(bigint, text, text, bigint), tkt_external_numbers(bigint, text[]) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_may_end_membership(bigint, bigint), tkt_assigned_numbers(bigint, bigint), tkt_release_assignments(bigint, bigint, bigint),
    tkt_status_counts(bigint), tkt_move_status(bigint, text, text, bigint), tkt_external_numbers(bigint, text[]) TO %I', app);
END $$;
