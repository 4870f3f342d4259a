#!/usr/bin/env bash
# Fails when src/store/schema.ts and migrations/ disagree: drizzle-kit would generate a new
# migration from the schema. Runs drizzle-kit against a copy so the real folder is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
# drizzle-kit takes --out relative to the project, so the scratch copy lives here (git-ignored).
tmp=$(mktemp -d .drift-check-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -r migrations "$tmp/migrations"
npx drizzle-kit check --dialect sqlite --out "$tmp/migrations" >/dev/null
before=$(ls "$tmp/migrations" | sort)
npx drizzle-kit generate --dialect sqlite --schema "${TKT_SCHEMA:-./src/store/schema.ts}" --out "$tmp/migrations" --name drift > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
after=$(ls "$tmp/migrations" | sort)
if [ "$before" != "$after" ]; then
  echo "schema drift: src/store/schema.ts has changes that no migration in migrations/ contains." >&2
  echo "Run 'npm run db:generate -- --name <purpose>' and commit the new migration." >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  cat "$tmp"/migrations/*drift*.sql >&2 || true
  exit 1
fi
echo "migrations match the schema ($(ls migrations/*.sql | wc -l) migrations)"

# The PostgreSQL store: src/store/pg/schema.ts against migrations/pg/ (drizzle.pg.config.ts).
pgtmp=$(mktemp -d .drift-check-pg-XXXXXX)
trap 'rm -rf "$tmp" "$pgtmp"' EXIT
cp -r migrations/pg "$pgtmp/pg"
npx drizzle-kit check --dialect postgresql --out "$pgtmp/pg" >/dev/null
before=$(ls "$pgtmp/pg" | sort)
npx drizzle-kit generate --dialect postgresql --schema ./src/store/pg/schema.ts --out "$pgtmp/pg" --name drift > "$pgtmp/log" 2>&1 || { cat "$pgtmp/log"; exit 1; }
after=$(ls "$pgtmp/pg" | sort)
if [ "$before" != "$after" ]; then
  echo "schema drift: src/store/pg/schema.ts has changes that no migration in migrations/pg/ contains." >&2
  echo "Run 'npx drizzle-kit generate --config drizzle.pg.config.ts --name <purpose>' and commit the new migration." >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  cat "$pgtmp"/pg/*drift*.sql >&2 || true
  exit 1
fi
echo "PostgreSQL migrations match the schema ($(ls migrations/pg/*.sql | wc -l) migrations)"
