#!/usr/bin/env bash
# Command centres under a live position load (issue 4 figures): starts GridGov.Realtime (Release) with the
# 17,350-grid synthetic city, drives T terminals at R fixes/s each over real MQTT (bench/LoadGen), connects C
# SignalR command centres (bench/centres/centres.mjs, the npm @microsoft/signalr client) each subscribed to one
# region of the chosen level, and prints what the centres received, fix → centre latency and the server's CPU.
#
#   bench/run-centres-bench.sh [-t TERMINALS] [-r RATE] [-c CENTRES] [-l district|street|community] [-d SECONDS]
#
# Examples (bench/README.md):
#   bench/run-centres-bench.sh -t 2000 -r 10 -c 10 -l district     # latency at 20k fixes/s
#   bench/run-centres-bench.sh -t 2000 -r 2 -c 2000 -l street      # 2,000 centres at 4 Hz, server CPU
# Terminals connect anonymously on a bench-only ACL that allows gridgov/v1/terminals/# (device authentication is
# measured separately; here it would only slow the connect phase).
set -euo pipefail
cd "$(dirname "$0")/.."

terminals=2000 rate=10 centres=10 level=district duration=20
while getopts "t:r:c:l:d:" o; do
  case "$o" in
    t) terminals=$OPTARG ;; r) rate=$OPTARG ;; c) centres=$OPTARG ;; l) level=$OPTARG ;; d) duration=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done

dotnet build src/Silo -c Release -nologo -v quiet >/dev/null
dotnet build bench/LoadGen -c Release -nologo -v quiet >/dev/null
dotnet build bench/Benchmarks -c Release -nologo -v quiet >/dev/null
[[ -d tests/js/node_modules ]] || (cd tests/js && npm ci --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

server=(dotnet src/Silo/bin/Release/net10.0/GridGov.Realtime.Silo.dll)
data=(--Silo:DataDirectory="$work/data" --Logging:LogLevel:Default=Warning)
dotnet bench/Benchmarks/bin/Release/net10.0/GridGov.Realtime.Benchmarks.dll city "$work/city.geojson"
"${server[@]}" import regions "$work/city.geojson" "${data[@]}" >/dev/null
scopes=$(python3 -c "import json,sys; print(','.join(f['properties']['code'] for f in json.load(open(sys.argv[1]))['features'] if f['properties']['level']==sys.argv[2]))" "$work/city.geojson" "$level")

"${server[@]}" "${data[@]}" --Silo:HttpPort=18899 --Edge:TcpPort=18898 --Edge:ConnectionsPerSecondPerAddress=1000000 \
  --Edge:AllowAnonymous=true --Edge:AnonymousAccess:Publish:0='gridgov/v1/terminals/#' &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/18899) 2>/dev/null && break; sleep 0.1; done
password=$(cat "$work/data/initial-admin-password")
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" http://127.0.0.1:18899/api/auth/token |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

echo "server: GridGov.Realtime $(git rev-parse --short HEAD) (pid $server_pid); $terminals terminals × $rate fixes/s; $centres centres on $level scopes"
dotnet bench/LoadGen/bin/Release/net10.0/loadgen.dll terminals --port 18898 --version 3.1.1 --terminals "$terminals" --rate "$rate" \
  --warmup 5 --duration $((duration + 20)) --json --quiet > "$work/loadgen.json" &
pids+=("$!")
sleep 5   # the terminals connect and walk into their grids before the centres count
node bench/centres/centres.mjs --url http://127.0.0.1:18899 --token "$token" --scopes "$scopes" \
  --connections "$centres" --duration "$duration" --warmup 5 --pid "$server_pid"
wait "${pids[1]}" || true
echo "loadgen: $(tail -1 "$work/loadgen.json")"
