-- The second wall: row-level security keyed on the tkt principal, secrets out of tkt_app's reach,
-- and the SECURITY DEFINER functions through which login, signup, credentials and invitations go.
-- Run by the owner (tkt db migrate), with tkt.app_role set to the application role's name.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TABLE tkt_settings (key text PRIMARY KEY, value text NOT NULL);
--> statement-breakpoint
INSERT INTO tkt_settings VALUES ('app_role', current_setting('tkt.app_role'));
--> statement-breakpoint
-- ms since the epoch, as tkt stores times.
CREATE FUNCTION tkt_now() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;
--> statement-breakpoint
-- The user the transaction's tkt.token names: hashed here, live (not revoked, not expired), else null.
CREATE FUNCTION tkt_uid() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.user_id FROM credentials c
  WHERE c.token_hash = encode(sha256(convert_to(coalesce(nullif(current_setting('tkt.token', true), ''), '-'), 'UTF8')), 'hex')
    AND c.revoked_at IS NULL AND c.expires_at > tkt_now()
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_grants(permissions text, wanted text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT p = '*' OR p = wanted OR p = split_part(wanted, ':', 1) || ':*' FROM unnest(string_to_array(permissions, ',')) p
  ORDER BY 1 DESC LIMIT 1
$$;
--> statement-breakpoint
-- The orgs where the principal is a member (any role).
CREATE FUNCTION tkt_member_orgs() RETURNS bigint[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(m.organization_id), '{}') FROM memberships m WHERE m.user_id = tkt_uid()
$$;
--> statement-breakpoint
-- The orgs where the principal's role grants one of `wanted`.
CREATE FUNCTION tkt_perm_orgs(VARIADIC wanted text[]) RETURNS bigint[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(m.organization_id), '{}') FROM memberships m
  JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
  WHERE m.user_id = tkt_uid() AND EXISTS (SELECT 1 FROM unnest(wanted) w WHERE tkt_grants(r.permissions, w))
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_role_perms(org bigint, role bigint) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT permissions FROM roles WHERE organization_id = org AND id = role
$$;
--> statement-breakpoint
-- The principal's permissions in an org ('' when not a member).
CREATE FUNCTION tkt_my_perms(org bigint) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT r.permissions FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = org AND m.user_id = tkt_uid()), '')
$$;
--> statement-breakpoint
-- True when `held` grants every permission `wanted` grants (no escalation).
CREATE FUNCTION tkt_covers(held text, wanted text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT tkt_grants(held, '*') OR NOT EXISTS (
    SELECT 1 FROM unnest(string_to_array(wanted, ',')) w
    WHERE w <> '' AND NOT (tkt_grants(held, w) OR (w LIKE '%:*' AND tkt_grants(held, w))))
$$;
--> statement-breakpoint
-- The search terms of a text: lower-cased, accents removed, split at everything but letters and digits.
CREATE FUNCTION tkt_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_to_string(array_remove(regexp_split_to_array(lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, ''))), '[^[:alnum:]]+'), ''), ' '), '')
$$;
--> statement-breakpoint
CREATE INDEX ticket_search_document_idx ON ticket_search USING gin (to_tsvector('simple'::regconfig, document));
--> statement-breakpoint
CREATE FUNCTION tkt_reindex_ticket(org bigint, ticket bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO ticket_search (organization_id, ticket_id, document)
  SELECT t.organization_id, t.id, tkt_search_text(t.title) || ' ' || tkt_search_text(t.body) || ' ' ||
    coalesce((SELECT string_agg(tkt_search_text(c.body), ' ' ORDER BY c.id) FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id), '')
  FROM tickets t WHERE t.organization_id = org AND t.id = ticket
  ON CONFLICT (organization_id, ticket_id) DO UPDATE SET document = excluded.document
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_ticket_search_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body THEN
    PERFORM tkt_reindex_ticket(NEW.organization_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_search AFTER INSERT OR UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_ticket_search_trigger();
--> statement-breakpoint
CREATE FUNCTION tkt_comment_search_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM tkt_reindex_ticket(NEW.organization_id, NEW.ticket_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER comments_search AFTER INSERT ON comments FOR EACH ROW EXECUTE FUNCTION tkt_comment_search_trigger();
--> statement-breakpoint
-- Whoever was ever a member of an org stays known to it (reporters, authors and actors of its history).
CREATE FUNCTION tkt_org_people_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO org_people VALUES (NEW.organization_id, NEW.user_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER memberships_people AFTER INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION tkt_org_people_trigger();
--> statement-breakpoint
-- Always an owner: at the end of every transaction that changed or removed memberships, each org still
-- existing has a member holding its owner role.
CREATE FUNCTION tkt_owner_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM organizations o WHERE o.id = OLD.organization_id) AND NOT EXISTS (
    SELECT 1 FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = OLD.organization_id AND r.code = 'owner' AND r.is_system) THEN
    RAISE EXCEPTION 'tkt: organization % would have no owner', OLD.organization_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER memberships_owner AFTER UPDATE OR DELETE ON memberships DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION tkt_owner_check();
--> statement-breakpoint
-- No escalation: a membership gets a role only from someone holding every permission of it (an owner role
-- only from an owner); SECURITY DEFINER paths (org creation, accepting) run as the owner role and are exempt.
CREATE FUNCTION tkt_membership_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text; wanted text; owner_code text;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'memberships') THEN RETURN NEW; END IF;
  IF NEW.organization_id <> OLD.organization_id OR NEW.user_id <> OLD.user_id THEN
    RAISE EXCEPTION 'tkt: a membership cannot move' USING ERRCODE = '42501';
  END IF;
  held := tkt_my_perms(NEW.organization_id);
  wanted := tkt_role_perms(NEW.organization_id, NEW.role_id);
  SELECT code INTO owner_code FROM roles WHERE organization_id = NEW.organization_id AND id = NEW.role_id AND is_system;
  IF NOT tkt_covers(held, coalesce(wanted, '')) OR (owner_code = 'owner' AND NOT tkt_grants(held, '*')) THEN
    RAISE EXCEPTION 'tkt: giving that role needs every permission of it' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER memberships_guard BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION tkt_membership_guard();
--> statement-breakpoint
-- Roles: system roles keep their code and flag; the owner role is never edited or deleted while its org
-- exists; custom roles grant nothing their maker does not hold.
CREATE FUNCTION tkt_role_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'roles') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.is_system THEN RAISE EXCEPTION 'tkt: system roles cannot be deleted' USING ERRCODE = '42501'; END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.is_system OR NEW.code <> OLD.code OR NEW.organization_id <> OLD.organization_id) THEN
    RAISE EXCEPTION 'tkt: system roles and role codes cannot change' USING ERRCODE = '42501';
  END IF;
  IF NEW.is_system THEN RAISE EXCEPTION 'tkt: only tkt makes system roles' USING ERRCODE = '42501'; END IF;
  IF NOT tkt_covers(tkt_my_perms(NEW.organization_id), NEW.permissions) THEN
    RAISE EXCEPTION 'tkt: a role cannot grant more than its maker holds' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER roles_guard BEFORE INSERT OR UPDATE OR DELETE ON roles FOR EACH ROW EXECUTE FUNCTION tkt_role_guard();
--> statement-breakpoint
-- Counters only grow; a rename needs org:update.
CREATE FUNCTION tkt_org_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'organizations') THEN RETURN NEW; END IF;
  IF NEW.next_ticket_number < OLD.next_ticket_number OR NEW.next_comment_number < OLD.next_comment_number
     OR NEW.next_audit_number < OLD.next_audit_number OR NEW.next_invite_number < OLD.next_invite_number THEN
    RAISE EXCEPTION 'tkt: organization counters only grow' USING ERRCODE = '42501';
  END IF;
  IF NEW.name IS DISTINCT FROM OLD.name AND NOT tkt_grants(tkt_my_perms(NEW.id), 'org:update') THEN
    RAISE EXCEPTION 'tkt: renaming needs org:update' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER organizations_guard BEFORE UPDATE ON organizations FOR EACH ROW EXECUTE FUNCTION tkt_org_guard();
--> statement-breakpoint
-- Numbers people see come from the org's counters: an inserted number must be below its counter.
CREATE FUNCTION tkt_number_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE next bigint;
BEGIN
  EXECUTE format('SELECT %I FROM organizations WHERE id = $1', TG_ARGV[0]) INTO next USING NEW.organization_id;
  IF NEW.number < 1 OR NEW.number >= next THEN
    RAISE EXCEPTION 'tkt: % number % was not allocated', TG_TABLE_NAME, NEW.number USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_number BEFORE INSERT OR UPDATE OF number ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_ticket_number');
--> statement-breakpoint
CREATE TRIGGER comments_number BEFORE INSERT OR UPDATE OF number ON comments FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_comment_number');
--> statement-breakpoint
CREATE TRIGGER audit_number BEFORE INSERT OR UPDATE OF number ON audit_events FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_audit_number');
--> statement-breakpoint
CREATE TRIGGER invitations_number BEFORE INSERT OR UPDATE OF number ON invitations FOR EACH ROW EXECUTE FUNCTION tkt_number_guard('next_invite_number');
--> statement-breakpoint
-- Single use: an accepted invitation never changes again; accepting happens only in tkt_invite_accept.
CREATE FUNCTION tkt_invitation_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'invitations') THEN RETURN NEW; END IF;
  IF OLD.accepted_at IS NOT NULL OR NEW.accepted_at IS DISTINCT FROM OLD.accepted_at OR NEW.accepted_by IS DISTINCT FROM OLD.accepted_by
     OR NEW.token_hash <> OLD.token_hash OR NEW.email <> OLD.email OR NEW.inviter_id <> OLD.inviter_id
     OR NEW.expires_at > OLD.expires_at OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)
     OR (NEW.role_id IS NOT NULL AND NEW.role_id IS DISTINCT FROM OLD.role_id) THEN
    RAISE EXCEPTION 'tkt: invitations are used once and only revoked or voided' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER invitations_guard BEFORE UPDATE ON invitations FOR EACH ROW EXECUTE FUNCTION tkt_invitation_guard();
--> statement-breakpoint
CREATE FUNCTION tkt_invitation_insert_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE held text := tkt_my_perms(NEW.organization_id); code text;
BEGIN
  IF current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'invitations') THEN RETURN NEW; END IF;
  SELECT r.code INTO code FROM roles r WHERE r.organization_id = NEW.organization_id AND r.id = NEW.role_id AND r.is_system;
  IF NEW.inviter_id <> tkt_uid() OR NEW.accepted_at IS NOT NULL OR NEW.accepted_by IS NOT NULL OR NEW.role_id IS NULL
     OR NOT tkt_covers(held, coalesce(tkt_role_perms(NEW.organization_id, NEW.role_id), '*'))
     OR (code = 'owner' AND NOT tkt_grants(held, '*')) THEN
    RAISE EXCEPTION 'tkt: that invitation is not yours to make' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER invitations_insert_guard BEFORE INSERT ON invitations FOR EACH ROW EXECUTE FUNCTION tkt_invitation_insert_guard();
--> statement-breakpoint
-- Tickets keep their org, number and reporter; comments and audit events are append-only.
CREATE FUNCTION tkt_ticket_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.number <> OLD.number OR NEW.reporter_id <> OLD.reporter_id OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'tkt: a ticket keeps its number, reporter and creation time' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_guard BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION tkt_ticket_guard();
--> statement-breakpoint
-- ---- identity: SECURITY DEFINER functions are the only way to the secrets ----
CREATE FUNCTION tkt_user_json(u users) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name, 'createdAt', u.created_at)
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_signup(p_email text, p_name text, p_hash text) RETURNS jsonb LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO users (email, name, password_hash, created_at) VALUES (p_email, p_name, p_hash, tkt_now()) RETURNING tkt_user_json(users)
$$;
--> statement-breakpoint
-- What a login may know before the password is checked: scrypt's parameters and salt, not the key.
CREATE FUNCTION tkt_password_params(p_email text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT array_to_string((string_to_array(password_hash, '$'))[1:5], '$') FROM users WHERE email = p_email
$$;
--> statement-breakpoint
-- The user when `candidate` (scrypt computed by tkt with those parameters) is the stored hash; else null.
CREATE FUNCTION tkt_login(p_email text, p_candidate text) RETURNS jsonb LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT tkt_user_json(u) FROM users u WHERE u.email = p_email AND u.password_hash = p_candidate
$$;
--> statement-breakpoint
-- A new session or token: for the principal, or (a login) for whoever proves the password again.
CREATE FUNCTION tkt_create_credential(p_user bigint, p_kind text, p_name text, p_hash text, p_expires bigint, p_email text, p_candidate text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE c credentials;
BEGIN
  IF p_user IS DISTINCT FROM tkt_uid() AND NOT EXISTS (SELECT 1 FROM users WHERE id = p_user AND email = p_email AND password_hash = p_candidate) THEN
    RAISE EXCEPTION 'tkt: not your credential to create' USING ERRCODE = '42501';
  END IF;
  INSERT INTO credentials (user_id, kind, name, token_hash, created_at, expires_at) VALUES (p_user, p_kind, p_name, p_hash, tkt_now(), p_expires) RETURNING * INTO c;
  RETURN jsonb_build_object('id', c.id, 'userId', c.user_id, 'kind', c.kind, 'name', c.name, 'createdAt', c.created_at, 'expiresAt', c.expires_at,
    'revokedAt', c.revoked_at, 'lastUsedAt', c.last_used_at);
END $$;
--> statement-breakpoint
-- The credential whose secret hashes to p_hash, with its user (whatever its state: tkt judges it).
CREATE FUNCTION tkt_credential(p_hash text) RETURNS jsonb LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('id', c.id, 'userId', c.user_id, 'kind', c.kind, 'name', c.name, 'createdAt', c.created_at, 'expiresAt', c.expires_at,
    'revokedAt', c.revoked_at, 'lastUsedAt', c.last_used_at, 'user', tkt_user_json(u))
  FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.token_hash = p_hash
$$;
--> statement-breakpoint
-- Holding a secret is the right to end it.
CREATE FUNCTION tkt_revoke_by_hash(p_hash text, p_kind text) RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH r AS (UPDATE credentials SET revoked_at = tkt_now() WHERE token_hash = p_hash AND kind = p_kind AND revoked_at IS NULL RETURNING 1)
  SELECT count(*) > 0 FROM r
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_change_password(p_candidate text, p_hash text) RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH u AS (UPDATE users SET password_hash = p_hash WHERE id = tkt_uid() AND password_hash = p_candidate RETURNING 1)
  SELECT count(*) > 0 FROM u
$$;
--> statement-breakpoint
CREATE FUNCTION tkt_is_empty() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT NOT EXISTS (SELECT 1 FROM users)
$$;
--> statement-breakpoint
-- A new org, its system roles, the principal as its owner and the event: slug-taken / key-taken or the org.
CREATE FUNCTION tkt_create_org(p_name text, p_slug text, p_key text, p_roles jsonb, p_owner_role text, p_audit jsonb)
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
  UPDATE organizations SET next_audit_number = 2 WHERE id = o.id;
  INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
  VALUES (o.id, 1, me, p_audit->>'action', p_audit->>'targetType', p_audit->>'target', p_audit->>'details', now);
  RETURN jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name, 'ticketKey', o.ticket_key, 'createdAt', o.created_at);
END $$;
--> statement-breakpoint
-- ---- invitations: accepting is not tenant-bound, so it goes through these ----
-- The state an accept is judged by (the invitation row locked until the transaction ends); null: unknown token.
CREATE FUNCTION tkt_invite_state(p_hash text, p_new_email text) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE i invitations; o organizations; me bigint := tkt_uid(); u users; rl roles; inviter_role roles; acc users; inv users;
BEGIN
  SELECT * INTO i FROM invitations WHERE token_hash = p_hash FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT * INTO o FROM organizations WHERE id = i.organization_id;
  SELECT * INTO rl FROM roles WHERE organization_id = i.organization_id AND id = i.role_id;
  SELECT r.* INTO inviter_role FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = i.organization_id AND m.user_id = i.inviter_id;
  SELECT * INTO u FROM users WHERE id = me;
  SELECT * INTO acc FROM users WHERE id = i.accepted_by;
  SELECT * INTO inv FROM users WHERE id = i.inviter_id;
  RETURN jsonb_build_object(
    'now', tkt_now(),
    'invite', jsonb_build_object('id', i.number, 'email', i.email, 'roleCode', i.role_code, 'createdAt', i.created_at, 'expiresAt', i.expires_at,
      'acceptedAt', i.accepted_at, 'revokedAt', i.revoked_at, 'voidReason', i.void_reason,
      'role', CASE WHEN rl.id IS NULL THEN NULL ELSE jsonb_build_object('id', rl.id, 'code', rl.code, 'name', rl.name, 'permissions', rl.permissions, 'isSystem', rl.is_system) END,
      'inviter', jsonb_build_object('email', inv.email, 'name', inv.name),
      'acceptedBy', CASE WHEN acc.id IS NULL THEN NULL ELSE jsonb_build_object('email', acc.email, 'name', acc.name) END),
    'org', jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name, 'ticketKey', o.ticket_key, 'createdAt', o.created_at),
    'user', CASE WHEN u.id IS NULL THEN NULL ELSE tkt_user_json(u) END,
    'emailTaken', p_new_email IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE email = p_new_email),
    'alreadyMember', EXISTS (SELECT 1 FROM memberships WHERE organization_id = i.organization_id AND user_id = me),
    'inviterId', i.inviter_id,
    'inviterRole', CASE WHEN inviter_role.id IS NULL THEN NULL ELSE jsonb_build_object('id', inviter_role.id, 'code', inviter_role.code, 'name', inviter_role.name,
      'permissions', inviter_role.permissions, 'isSystem', inviter_role.is_system) END);
END $$;
--> statement-breakpoint
-- Marks the invitation void (the inviter's event): only when the database agrees it is void.
CREATE FUNCTION tkt_invite_void(p_hash text, p_reason text, p_audit jsonb) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE i invitations; held text; n bigint;
BEGIN
  SELECT * INTO i FROM invitations WHERE token_hash = p_hash FOR UPDATE;
  IF NOT FOUND OR i.accepted_at IS NOT NULL OR i.revoked_at IS NOT NULL OR i.void_reason IS NOT NULL THEN
    RAISE EXCEPTION 'tkt: no such usable invitation' USING ERRCODE = '42501';
  END IF;
  SELECT r.permissions INTO held FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = i.organization_id AND m.user_id = i.inviter_id;
  IF NOT ((p_reason = 'role-deleted' AND i.role_id IS NULL) OR (p_reason = 'inviter-left' AND held IS NULL)
      OR (p_reason = 'inviter-lacks-permission' AND held IS NOT NULL AND (NOT tkt_grants(held, 'member:invite')
          OR NOT tkt_covers(held, coalesce(tkt_role_perms(i.organization_id, i.role_id), ''))
          OR (i.role_code = 'owner' AND NOT tkt_grants(held, '*'))))) THEN
    RAISE EXCEPTION 'tkt: the invitation is not void' USING ERRCODE = '42501';
  END IF;
  UPDATE invitations SET void_reason = p_reason WHERE organization_id = i.organization_id AND id = i.id;
  UPDATE organizations SET next_audit_number = next_audit_number + 1 WHERE id = i.organization_id RETURNING next_audit_number - 1 INTO n;
  INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
  VALUES (i.organization_id, n, i.inviter_id, p_audit->>'action', p_audit->>'targetType', p_audit->>'target', p_audit->>'details', tkt_now());
END $$;
--> statement-breakpoint
-- Accepts: the principal (or a new account with the invitation's email) joins with the invitation's role,
-- once, while it is live and the inviter still may give that role. Returns the joining user.
CREATE FUNCTION tkt_invite_accept(p_hash text, p_new jsonb, p_audit jsonb) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE i invitations; u users; held text; n bigint; now bigint := tkt_now();
BEGIN
  SELECT * INTO i FROM invitations WHERE token_hash = p_hash FOR UPDATE;
  IF NOT FOUND OR i.accepted_at IS NOT NULL OR i.revoked_at IS NOT NULL OR i.void_reason IS NOT NULL OR i.expires_at <= now OR i.role_id IS NULL THEN
    RAISE EXCEPTION 'tkt: the invitation is not usable' USING ERRCODE = '42501';
  END IF;
  SELECT r.permissions INTO held FROM memberships m JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
    WHERE m.organization_id = i.organization_id AND m.user_id = i.inviter_id;
  IF held IS NULL OR NOT tkt_grants(held, 'member:invite') OR NOT tkt_covers(held, tkt_role_perms(i.organization_id, i.role_id))
     OR (i.role_code = 'owner' AND NOT tkt_grants(held, '*')) THEN
    RAISE EXCEPTION 'tkt: the inviter may no longer give that role' USING ERRCODE = '42501';
  END IF;
  IF p_new IS NULL THEN
    SELECT * INTO u FROM users WHERE id = tkt_uid();
    IF NOT FOUND THEN RAISE EXCEPTION 'tkt: no principal' USING ERRCODE = '42501'; END IF;
  ELSE
    IF p_new->>'email' <> i.email THEN RAISE EXCEPTION 'tkt: the invitation is for another email' USING ERRCODE = '42501'; END IF;
    BEGIN
      INSERT INTO users (email, name, password_hash, created_at) VALUES (p_new->>'email', p_new->>'name', p_new->>'passwordHash', now) RETURNING * INTO u;
    EXCEPTION WHEN unique_violation THEN RETURN NULL;
    END;
  END IF;
  IF lower(u.email) <> i.email THEN RAISE EXCEPTION 'tkt: the invitation is for another email' USING ERRCODE = '42501'; END IF;
  UPDATE invitations SET accepted_at = now, accepted_by = u.id WHERE organization_id = i.organization_id AND id = i.id;
  INSERT INTO memberships VALUES (i.organization_id, u.id, i.role_id, now);
  UPDATE organizations SET next_audit_number = next_audit_number + 1 WHERE id = i.organization_id RETURNING next_audit_number - 1 INTO n;
  INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
  VALUES (i.organization_id, n, u.id, p_audit->>'action', p_audit->>'targetType', p_audit->>'target', p_audit->>'details', now);
  RETURN tkt_user_json(u);
END $$;
--> statement-breakpoint
-- ---- row-level security ----
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'credentials', 'organizations', 'roles', 'memberships', 'org_people', 'invitations', 'tickets', 'labels',
    'ticket_labels', 'comments', 'audit_events', 'ticket_search', 'tkt_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    -- The owner role (SECURITY DEFINER functions, migrations) sees every row; no one else is it.
    EXECUTE format('CREATE POLICY owner_all ON %I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY tkt_self ON users FOR SELECT USING (id = tkt_uid() OR EXISTS (
  SELECT 1 FROM org_people p WHERE p.user_id = users.id AND p.organization_id = ANY ((SELECT tkt_member_orgs())::bigint[])));
--> statement-breakpoint
CREATE POLICY tkt_own_read ON credentials FOR SELECT USING (user_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_own_update ON credentials FOR UPDATE USING (user_id = tkt_uid()) WITH CHECK (user_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_member_read ON organizations FOR SELECT USING (id = ANY ((SELECT tkt_member_orgs())::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_member_update ON organizations FOR UPDATE USING (id = ANY ((SELECT tkt_member_orgs())::bigint[])) WITH CHECK (id = ANY ((SELECT tkt_member_orgs())::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_org_delete ON organizations FOR DELETE USING (id = ANY ((SELECT tkt_perm_orgs('org:delete'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_member_read ON roles FOR SELECT USING (organization_id = ANY ((SELECT tkt_member_orgs())::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_insert ON roles FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_update ON roles FOR UPDATE USING (organization_id = ANY ((SELECT tkt_perm_orgs('role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_manage_delete ON roles FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON memberships FOR SELECT USING (user_id = tkt_uid() OR organization_id = ANY ((SELECT tkt_perm_orgs('member:read', 'ticket:assign', 'member:invite', 'role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_role_update ON memberships FOR UPDATE USING (organization_id = ANY ((SELECT tkt_perm_orgs('member:role', 'role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_remove ON memberships FOR DELETE USING (user_id = tkt_uid() OR organization_id = ANY ((SELECT tkt_perm_orgs('member:remove'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_member_read ON org_people FOR SELECT USING (organization_id = ANY ((SELECT tkt_member_orgs())::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_invite_read ON invitations FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('member:invite', 'role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_invite_insert ON invitations FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('member:invite'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_invite_update ON invitations FOR UPDATE USING (organization_id = ANY ((SELECT tkt_perm_orgs('member:invite', 'role:manage'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON tickets FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_create ON tickets FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create'))::bigint[]) AND reporter_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_write ON tickets FOR UPDATE USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:update', 'ticket:assign', 'ticket:comment', 'member:remove'))::bigint[])
  OR assignee_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_remove ON tickets FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:delete'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON labels FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_write ON labels FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create', 'ticket:update'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON ticket_labels FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read', 'ticket:create', 'ticket:update'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_link ON ticket_labels FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:create', 'ticket:update'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_unlink ON ticket_labels FOR DELETE USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:update'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_read ON comments FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_add ON comments FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:comment'))::bigint[]) AND author_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_read ON audit_events FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('audit:read'))::bigint[]));
--> statement-breakpoint
CREATE POLICY tkt_append ON audit_events FOR INSERT WITH CHECK (organization_id = ANY ((SELECT tkt_member_orgs())::bigint[]) AND actor_id = tkt_uid());
--> statement-breakpoint
CREATE POLICY tkt_read ON ticket_search FOR SELECT USING (organization_id = ANY ((SELECT tkt_perm_orgs('ticket:read'))::bigint[]));
--> statement-breakpoint
-- ---- the application role: exactly the grants the CLI needs, never a secret column ----
DO $$
DECLARE app text := current_setting('tkt.app_role'); f record;
BEGIN
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC');
  EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC');
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
  EXECUTE format('GRANT SELECT (id, email, name, created_at) ON users TO %I', app);
  EXECUTE format('GRANT SELECT (id, user_id, kind, name, created_at, expires_at, revoked_at, last_used_at), UPDATE (revoked_at, last_used_at) ON credentials TO %I', app);
  EXECUTE format('GRANT SELECT, DELETE, UPDATE (name, next_ticket_number, next_comment_number, next_audit_number, next_invite_number) ON organizations TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, code, name, permissions, is_system, created_at), UPDATE (name, permissions), DELETE ON roles TO %I', app);
  EXECUTE format('GRANT SELECT, UPDATE (role_id), DELETE ON memberships TO %I', app);
  EXECUTE format('GRANT SELECT ON org_people, ticket_search TO %I', app);
  EXECUTE format('GRANT SELECT (organization_id, id, number, email, role_id, role_code, inviter_id, created_at, expires_at, accepted_at, accepted_by, revoked_at, void_reason),
    INSERT (organization_id, number, email, role_id, role_code, token_hash, inviter_id, created_at, expires_at),
    UPDATE (role_id, revoked_at, void_reason) ON invitations TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, number, title, body, status, priority, assignee_id, reporter_id, created_at, updated_at),
    UPDATE (title, body, status, priority, assignee_id, updated_at), DELETE ON tickets TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, name) ON labels TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, DELETE ON ticket_labels TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, number, ticket_id, author_id, body, created_at) ON comments TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT (organization_id, number, actor_id, action, target_type, target, details, created_at) ON audit_events TO %I', app);
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proname LIKE 'tkt\_%' AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f.sig, app);
  END LOOP;
END $$;
