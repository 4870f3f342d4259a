-- What tkt refuses to an API token holds against raw SQL too: only a login session creates
-- credentials or revokes them; no credential outlives 366 days.
CREATE FUNCTION tkt_principal_kind() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.kind FROM credentials c
  WHERE c.token_hash = encode(sha256(convert_to(coalesce(nullif(current_setting('tkt.token', true), ''), '-'), 'UTF8')), 'hex')
    AND c.revoked_at IS NULL AND c.expires_at > tkt_now()
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_create_credential(p_user bigint, p_kind text, p_name text, p_hash text, p_expires bigint, p_email text, p_candidate text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE c credentials;
BEGIN
  IF NOT ((p_user = tkt_uid() AND tkt_principal_kind() = 'session')
      OR EXISTS (SELECT 1 FROM users WHERE id = p_user AND email = p_email AND password_hash = p_candidate)) THEN
    RAISE EXCEPTION 'tkt: not your credential to create' USING ERRCODE = '42501';
  END IF;
  IF p_expires > tkt_now() + 366::bigint * 86400000 + 60000 THEN
    RAISE EXCEPTION 'tkt: a credential lives at most 366 days' USING ERRCODE = '42501';
  END IF;
  INSERT INTO credentials (user_id, kind, name, token_hash, created_at, expires_at) VALUES (p_user, p_kind, p_name, p_hash, tkt_now(), p_expires) RETURNING * INTO c;
  RETURN jsonb_build_object('id', c.id, 'userId', c.user_id, 'kind', c.kind, 'name', c.name, 'createdAt', c.created_at, 'expiresAt', c.expires_at,
    'revokedAt', c.revoked_at, 'lastUsedAt', c.last_used_at);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tkt_credential_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'credentials') THEN RETURN NEW; END IF;
  IF (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) OR NEW.last_used_at < OLD.last_used_at THEN
    RAISE EXCEPTION 'tkt: a revoked credential stays revoked' USING ERRCODE = '42501';
  END IF;
  IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at AND tkt_principal_kind() IS DISTINCT FROM 'session' THEN
    RAISE EXCEPTION 'tkt: only a login session revokes credentials' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_principal_kind() TO %I', (SELECT value FROM tkt_settings WHERE key = 'app_role'));
  REVOKE ALL ON FUNCTION tkt_principal_kind() FROM PUBLIC;
END $$;
