-- The gapless check binds the app's roles; the owner (who runs migrations and may repair by hand) is
-- trusted, like everywhere else in the schema: a login that is or may become the owner is exempt.
CREATE OR REPLACE FUNCTION tkt_gapless_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE o organizations;
BEGIN
  -- The owner (and a superuser) is trusted and bound by nothing here: it seeds and repairs by hand.
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
       AND number >= OLD.next_invite_number AND number < NEW.next_invite_number) <> NEW.next_invite_number - OLD.next_invite_number THEN
    RAISE EXCEPTION 'tkt: numbers of organization % would have a gap', NEW.id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
