-- Search in scripts that do not separate words by spaces (issue 12), as on SQLite (migrations/0010,
-- src/lib/search-terms.ts): a run of Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer or Myanmar
-- characters is indexed as its overlapping pairs plus its last character alone (日本語 → 日本 本語 語),
-- so `--search 日本語` (the phrase 日本 本語) finds 日本語 anywhere in a text. Folding no longer
-- depends on the database's locale: lower-casing and "letter or digit" follow ICU when the server
-- has it (a C-locale database otherwise drops every non-ASCII letter). tkt_search_fold() folds a
-- search's terms (already split by tkt), tkt_search_text() a text for the index.
DO $$
DECLARE coll text := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN '"und-x-icu"' ELSE '"default"' END;
BEGIN
  EXECUTE format($f$
    CREATE FUNCTION tkt_search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $b$
      SELECT coalesce(array_to_string(array_remove(regexp_split_to_array(lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, '')) COLLATE %s),
        '[^[:alnum:]]+'), ''), ' '), '')
    $b$ $f$, coll);
END $$;
--> statement-breakpoint
CREATE FUNCTION tkt_wide_pieces(term text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  m text[];
  chars text[];
  out text[] := '{}';
  i int;
BEGIN
  FOR m IN SELECT regexp_matches(term,
    '([\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+)|([^\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+)', 'g') LOOP
    IF m[1] IS NULL THEN
      out := out || m[2];
    ELSE
      chars := regexp_split_to_array(m[1], '');
      FOR i IN 1 .. array_length(chars, 1) - 1 LOOP
        out := out || (chars[i] || chars[i + 1]);
      END LOOP;
      out := out || chars[array_length(chars, 1)];
    END IF;
  END LOOP;
  RETURN array_to_string(out, ' ');
END $$;
--> statement-breakpoint
-- The index's terms of a text: folded, wide runs as pairs (ASCII-only text goes straight through).
CREATE OR REPLACE FUNCTION tkt_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN f !~ '[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]' THEN f
    ELSE (SELECT coalesce(string_agg(tkt_wide_pieces(w), ' ' ORDER BY i), '') FROM unnest(string_to_array(f, ' ')) WITH ORDINALITY AS x(w, i)) END
  FROM (SELECT tkt_search_fold(t) AS f) s
$$;
--> statement-breakpoint
SELECT tkt_reindex_ticket(organization_id, id) FROM tickets;
--> statement-breakpoint
DO $$
DECLARE app text := (SELECT value FROM tkt_settings WHERE key = 'app_role');
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tkt_search_fold(text), tkt_wide_pieces(text) TO %I', app);
  REVOKE ALL ON FUNCTION tkt_search_fold(text), tkt_wide_pieces(text) FROM PUBLIC;
END $$;
