-- The kind of the presented credential, whatever its state: `logout --all` revokes the very session
-- it runs as in the same statement as the others, and the later rows must still see a session.
-- Liveness is tkt_uid()'s job; every use of this function goes with it (RLS or an explicit check).
CREATE OR REPLACE FUNCTION tkt_principal_kind() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.kind FROM credentials c
  WHERE c.token_hash = encode(sha256(convert_to(coalesce(nullif(current_setting('tkt.token', true), ''), '-'), 'UTF8')), 'hex')
$$;
