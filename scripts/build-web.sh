#!/usr/bin/env bash
# Builds the dashboard page: src/Dashboard/web → src/Dashboard/wwwroot/dist (esbuild bundle).
# The Dashboard project's build runs this when dist is missing or older than its sources, so a fresh
# clone needs nothing but Node 20 and npm. `npm ci` runs only when node_modules is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/../src/Dashboard/web"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm not found; install Node.js 20 (or build with -p:SkipDashboardWeb=true)" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
npm run --silent build
