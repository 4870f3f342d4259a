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
