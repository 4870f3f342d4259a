-- As tkt rules: system roles other than owner may be renamed and given other permissions (within the
-- editor's own); owner is never edited; no system role is deleted while its org exists; a role keeps
-- its code, org and kind.
CREATE OR REPLACE FUNCTION tkt_role_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'roles') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.is_system THEN RAISE EXCEPTION 'tkt: system roles cannot be deleted' USING ERRCODE = '42501'; END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.code <> OLD.code OR NEW.organization_id <> OLD.organization_id OR NEW.is_system <> OLD.is_system
      OR (OLD.is_system AND OLD.code = 'owner')) THEN
    RAISE EXCEPTION 'tkt: the owner role and role codes cannot change' USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'INSERT' AND NEW.is_system THEN RAISE EXCEPTION 'tkt: only tkt makes system roles' USING ERRCODE = '42501'; END IF;
  IF NOT tkt_covers(tkt_my_perms(NEW.organization_id), NEW.permissions) THEN
    RAISE EXCEPTION 'tkt: a role cannot grant more than its maker holds' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
