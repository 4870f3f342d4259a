-- Rules tkt enforces beyond permissions, held against raw SQL as well: gapless numbers, who may
-- move which counter, which ticket columns each permission may change, only an owner touches an
-- owner, and credentials that stay revoked.
CREATE OR REPLACE FUNCTION tkt_org_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'organizations') THEN RETURN NEW; END IF;
  held := tkt_my_perms(NEW.id);
  IF NEW.next_ticket_number < OLD.next_ticket_number OR NEW.next_comment_number < OLD.next_comment_number
     OR NEW.next_audit_number < OLD.next_audit_number OR NEW.next_invite_number < OLD.next_invite_number THEN
    RAISE EXCEPTION 'tkt: organization counters only grow' USING ERRCODE = '42501';
  END IF;
  IF (NEW.name IS DISTINCT FROM OLD.name AND NOT tkt_grants(held, 'org:update'))
     OR (NEW.next_ticket_number <> OLD.next_ticket_number AND NOT tkt_grants(held, 'ticket:create'))
     OR (NEW.next_comment_number <> OLD.next_comment_number AND NOT tkt_grants(held, 'ticket:comment'))
     OR (NEW.next_invite_number <> OLD.next_invite_number AND NOT tkt_grants(held, 'member:invite'))
     OR (NEW.next_audit_number <> OLD.next_audit_number AND held = '') THEN
    RAISE EXCEPTION 'tkt: your role does not allow that change of the organization' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- Gapless: at commit, every number a counter moved past exists (a ticket may be deleted later; comments,
-- audit events and invitations are never deleted but with their org).
CREATE FUNCTION tkt_gapless_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE o organizations;
BEGIN
  SELECT * INTO o FROM organizations WHERE id = NEW.id;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF NEW.next_ticket_number > OLD.next_ticket_number AND (SELECT count(*) FROM tickets WHERE organization_id = NEW.id
       AND number >= OLD.next_ticket_number AND number < NEW.next_ticket_number) <> NEW.next_ticket_number - OLD.next_ticket_number
     OR NEW.next_comment_number > OLD.next_comment_number AND (SELECT count(*) FROM comments WHERE organization_id = NEW.id
       AND number >= OLD.next_comment_number AND number < NEW.next_comment_number) <> NEW.next_comment_number - OLD.next_comment_number
     OR NEW.next_audit_number > OLD.next_audit_number AND (SELECT count(*) FROM audit_events WHERE organization_id = NEW.id
       AND number >= OLD.next_audit_number AND number < NEW.next_audit_number) <> NEW.next_audit_number - OLD.next_audit_number
     OR NEW.next_invite_number > OLD.next_invite_number AND (SELECT count(*) FROM invitations WHERE organization_id = NEW.id
       AND number >= OLD.next_invite_number AND number < NEW.next_invite_number) <> NEW.next_invite_number - OLD.next_invite_number THEN
    RAISE EXCEPTION 'tkt: numbers of organization % would have a gap', NEW.id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER organizations_gapless AFTER UPDATE ON organizations DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION tkt_gapless_check();
--> statement-breakpoint
-- Which ticket columns each permission may change; a ticket keeps its number, reporter and creation time.
CREATE OR REPLACE FUNCTION tkt_ticket_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text := tkt_my_perms(NEW.organization_id);
BEGIN
  IF NEW.number <> OLD.number OR NEW.reporter_id <> OLD.reporter_id OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'tkt: a ticket keeps its number, reporter and creation time' USING ERRCODE = '42501';
  END IF;
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
-- Only an owner touches an owner, and nobody touches a role above their own (leaving is always allowed).
CREATE OR REPLACE FUNCTION tkt_membership_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text; old_code text; new_code text;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'memberships') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.user_id = tkt_uid() THEN RETURN OLD; END IF;
  held := tkt_my_perms(OLD.organization_id);
  SELECT code INTO old_code FROM roles WHERE organization_id = OLD.organization_id AND id = OLD.role_id AND is_system;
  IF NOT tkt_covers(held, coalesce(tkt_role_perms(OLD.organization_id, OLD.role_id), '')) OR (old_code = 'owner' AND NOT tkt_grants(held, '*')) THEN
    RAISE EXCEPTION 'tkt: only an owner touches an owner, and nobody a role above their own' USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF NEW.organization_id <> OLD.organization_id OR NEW.user_id <> OLD.user_id THEN
    RAISE EXCEPTION 'tkt: a membership cannot move' USING ERRCODE = '42501';
  END IF;
  SELECT code INTO new_code FROM roles WHERE organization_id = NEW.organization_id AND id = NEW.role_id AND is_system;
  IF NOT tkt_covers(held, coalesce(tkt_role_perms(NEW.organization_id, NEW.role_id), '')) OR (new_code = 'owner' AND NOT tkt_grants(held, '*')) THEN
    RAISE EXCEPTION 'tkt: giving that role needs every permission of it' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER memberships_guard ON memberships;
--> statement-breakpoint
CREATE TRIGGER memberships_guard BEFORE UPDATE OR DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION tkt_membership_guard();
--> statement-breakpoint
-- A revoked credential stays revoked; last use only moves forward.
CREATE FUNCTION tkt_credential_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'credentials') THEN RETURN NEW; END IF;
  IF (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) OR NEW.last_used_at < OLD.last_used_at THEN
    RAISE EXCEPTION 'tkt: a revoked credential stays revoked' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER credentials_guard BEFORE UPDATE ON credentials FOR EACH ROW EXECUTE FUNCTION tkt_credential_guard();
--> statement-breakpoint
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  REVOKE ALL ON FUNCTION tkt_gapless_check(), tkt_credential_guard() FROM PUBLIC;
END $$;
