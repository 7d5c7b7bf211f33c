#!/usr/bin/env bash
# The one test command: installs what the tests need, restores, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-test-deps.sh
dotnet restore GridGov.Realtime.sln
dotnet build GridGov.Realtime.sln -c Release --no-restore -nologo -v quiet

log=$(mktemp)
status=0
dotnet test GridGov.Realtime.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies, in the plain form CI reads.
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  { f += $(i+1) + 0 }
         if ($i == "Passed:")  { p += $(i+1) + 0 }
         if ($i == "Skipped:") { s += $(i+1) + 0 }
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
