#!/usr/bin/env bash
# Installs the fixture projects of the tests (test/fixtures/*) as a user's repository would be:
# their own dependencies from their lockfiles (`npm ci`), then perf-gate from `npm pack` of this
# working tree (the committed dist/), with `npm install --no-save`, as `npm i -D perf-gate` would.
# The MikroORM 7 fixture needs Node 22.17 or newer: its npm runs under the registry's Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
packs=$(mktemp -d)
trap 'rm -rf "$packs"' EXIT
tarball="$packs/$(npm pack --silent --pack-destination "$packs" | tail -n 1)"
echo "perf-gate packed: $tarball"

node24() {
  local bin
  bin=$(npx -y node@24 -p 'process.execPath' 2>/dev/null | tail -n 1)
  "$bin" "$@"
}

for fixture in test/fixtures/*/; do
  [ -f "$fixture/package-lock.json" ] || continue
  echo "== $fixture"
  if grep -q '"@mikro-orm/core": "7' "$fixture/package.json"; then
    npm_cli=$(readlink -f "$(command -v npm)")
    (cd "$fixture" && node24 "$npm_cli" ci --no-audit --no-fund --loglevel=error && node24 "$npm_cli" install --no-save --no-audit --no-fund --loglevel=error "$tarball")
  else
    (cd "$fixture" && npm ci --no-audit --no-fund --loglevel=error && npm install --no-save --no-audit --no-fund --loglevel=error "$tarball")
  fi
done
echo "fixtures installed from $root"
