-- The credential guard (0005) gave one message for two refusals: a last use going back is not a
-- revoked credential coming back. Same rules, each refusal named for what it is.
CREATE OR REPLACE FUNCTION tkt_credential_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'credentials') THEN RETURN NEW; END IF;
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'tkt: a revoked credential stays revoked' USING ERRCODE = '42501';
  END IF;
  IF NEW.last_used_at < OLD.last_used_at THEN
    RAISE EXCEPTION 'tkt: a credential''s last use only moves forward' USING ERRCODE = '42501';
  END IF;
  IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at AND tkt_principal_kind() IS DISTINCT FROM 'session' THEN
    RAISE EXCEPTION 'tkt: only a login session revokes credentials' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
