#!/bin/sh
# The CI example of docs/ci.md, run by test/e2e/ci-example.test.ts so it cannot rot.
#
#   ci-example.sh failed|passed "<what ran>"
#
# Needs only TKT_TOKEN (an API token of a member who may create, comment on and close tickets),
# TKT_DB (the team's store) and TKT_ORG (the organization). A failed build opens a ticket labelled
# ci-failure, or comments on the one still open; a passing build comments on it and closes it.
set -eu
outcome=$1
run=$2

# The ticket of an earlier failure that is still open, if any.
key=$(tkt ticket list --label ci-failure --status open,in_progress --limit 1 -q)

case $outcome in
failed)
  if [ -z "$key" ]; then
    key=$(tkt ticket create --title "CI is failing" --label ci-failure --priority high \
      --body "The build failed: $run" -q)
    echo "Opened $key"
  else
    tkt ticket comment "$key" --body "Still failing: $run" >/dev/null
    echo "Commented on $key"
  fi
  ;;
passed)
  if [ -n "$key" ]; then
    tkt ticket comment "$key" --body "Passing again: $run" >/dev/null
    tkt ticket close "$key" >/dev/null
    echo "Closed $key"
  fi
  ;;
*)
  echo "usage: ci-example.sh failed|passed <what ran>" >&2
  exit 2
  ;;
esac
