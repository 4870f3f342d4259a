#!/usr/bin/env bash
# A CI job's use of tkt: fresh config, an API token in TKT_TOKEN, --json parsed with node (no jq),
# exit codes checked. Run from the repository after `npm ci` (which builds the CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
tkt() { node bin/tkt.js "$@"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(eval("v"+process.argv[1]))})' "$1"; }
expect_exit() { local want=$1; shift; set +e; "$@" >/dev/null 2>&1; local got=$?; set -e
  if [ "$got" != "$want" ]; then echo "smoke: expected exit $want, got $got: $*" >&2; exit 1; fi; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TKT_DB="$work/team.db" TKT_CONFIG_DIR="$work/admin-config"
unset TKT_TOKEN TKT_ORG

# An admin sets things up once.
printf 'smoke-test-password\n' | tkt auth signup --email ci-admin@example.com --name "CI Admin" --password-stdin >/dev/null
tkt org create "Smoke Test" --slug smoke --key SMK -q >/dev/null
token=$(tkt auth token create --name smoke-ci --expires 1h --json | json .token)

# The CI job: no saved config at all, only the token and the org.
export TKT_CONFIG_DIR="$work/ci-config" TKT_TOKEN="$token" TKT_ORG=smoke
[ "$(tkt org current --json | json .slug)" = smoke ]
[ "$(tkt auth status --json | json .via)" = token ]
[ "$(tkt audit list --json | json .length)" -ge 1 ]
key=$(tkt ticket create --title "Smoke ticket" -q)
[ "$key" = SMK-1 ]
tkt ticket move "$key" in_progress >/dev/null
[ "$(tkt ticket view "$key" --json | json .status)" = in_progress ]
[ "$(tkt ticket list --status in_progress -q)" = SMK-1 ]
[ "$(tkt ticket list --status done --json)" = "[]" ]

# Failures have their documented exit codes.
expect_exit 4 tkt --org no-such-org org current
expect_exit 2 tkt org current --no-such-flag
TKT_TOKEN=tktp_not-a-token expect_exit 3 tkt org current
[ ! -e "$work/ci-config/config.json" ]   # the token path never writes a config

unset TKT_TOKEN TKT_ORG
tkt db check -q >/dev/null
echo "smoke: ok"
