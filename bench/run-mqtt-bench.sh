#!/usr/bin/env bash
# Runs one loadgen scenario K times and prints the median of every numeric figure, with the exact command line,
# so the figures in bench/README.md can be reproduced.
#
#   bench/run-mqtt-bench.sh [-k RUNS] [--mosquitto] -- <loadgen arguments>
#
#   -k RUNS       repetitions (default 5)
#   --silo        start GridGov.Realtime itself (Release build) on 127.0.0.1:18898 with a fresh data directory, the
#                 17,350-grid synthetic city imported and anonymous clients allowed on a bench-only ACL (pubsub,
#                 ingest, idle); for the terminals scenario one device credential per terminal is provisioned and
#                 passed with --credentials, so every fix goes broker → intake → grid lookup → durable history →
#                 worker grain. Extra server settings: SILO_ARGS="--Section:Key=value ...".
#   --mosquitto   start Debian's mosquitto on 127.0.0.1:18830 (anonymous, max_queued_messages 0) in the
#                 background for the runs, pass --port 18830 --broker-pid, and stop it at the end. A reference broker
#                 for measurement only (apt-get install mosquitto); not a project dependency.
#
# Example:
#   bench/run-mqtt-bench.sh --mosquitto -- pubsub --qos 1 --publishers 20 --subscribers 1 --payload 64 --duration 10
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
mosquitto=0
silo=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -k) runs="$2"; shift 2 ;;
    --mosquitto) mosquitto=1; shift ;;
    --silo) silo=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { sed -n '2,15p' "$0"; exit 2; }

dotnet build bench/LoadGen -c Release -nologo -v quiet >/dev/null
loadgen=bench/LoadGen/bin/Release/net10.0/loadgen
args=("$@")

workdir=$(mktemp -d)
broker_pid=""
cleanup() {
  if [[ -n "$broker_pid" ]]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

if [[ $mosquitto -eq 1 ]]; then
  command -v mosquitto >/dev/null || { echo "mosquitto not installed (apt-get install -y mosquitto)" >&2; exit 2; }
  # max_queued_messages 0 (no limit): with any limit (1000 or 100000) Debian's 2.0.11-1.2+deb12u2 silently dropped
  # ~300 already-PUBACKed QoS 1 messages per pubsub run ($SYS/broker/publish/messages/dropped = the run's loss) while
  # the generator kept at most ~640 undelivered; with 0 none are dropped. loadgen's --max-backlog bounds the queue.
  cat > "$workdir/mosquitto.conf" <<CONF
max_queued_messages 0
listener 18830 127.0.0.1
allow_anonymous true
persistence false
log_dest none
CONF
  mosquitto -c "$workdir/mosquitto.conf" &
  broker_pid=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/18830) 2>/dev/null && break; sleep 0.1; done
  args+=(--port 18830 --broker-pid "$broker_pid")
  echo "broker: $(mosquitto -h 2>&1 | head -1) (pid $broker_pid)"
fi

if [[ $silo -eq 1 ]]; then
  dotnet build src/Silo -c Release -nologo -v quiet >/dev/null
  dotnet build bench/Benchmarks -c Release -nologo -v quiet >/dev/null
  server=(dotnet src/Silo/bin/Release/net10.0/GridGov.Realtime.Silo.dll)
  data=(--Silo:DataDirectory="$workdir/data" --Logging:LogLevel:Default=Warning)
  dotnet bench/Benchmarks/bin/Release/net10.0/GridGov.Realtime.Benchmarks.dll city "$workdir/city.geojson"
  "${server[@]}" import regions "$workdir/city.geojson" "${data[@]}" >/dev/null
  terminals=100
  for ((i = 0; i < ${#args[@]}; i++)); do [[ "${args[$i]}" == "--terminals" ]] && terminals="${args[$((i + 1))]}"; done
  if [[ "${args[0]}" == "terminals" ]]; then
    { echo "device_id,kind,region_code"; for ((i = 0; i < terminals; i++)); do printf 'w%06d,terminal,310100\n' "$i"; done; } > "$workdir/devices.csv"
    "${server[@]}" devices import "$workdir/devices.csv" "${data[@]}" 2>/dev/null | tail -n +2 > "$workdir/creds.csv"
    args+=(--credentials "$workdir/creds.csv")
  fi
  # shellcheck disable=SC2086 # SILO_ARGS is a list of settings
  "${server[@]}" "${data[@]}" --Silo:HttpPort=18899 --Edge:TcpPort=18898 --Edge:ConnectionsPerSecondPerAddress=1000000 \
    --Edge:AllowAnonymous=true --Edge:AnonymousAccess:Publish:0='loadgen/#' --Edge:AnonymousAccess:Subscribe:0='loadgen/#' ${SILO_ARGS:-} &
  broker_pid=$!
  for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/18898) 2>/dev/null && break; sleep 0.1; done
  args+=(--port 18898 --broker-pid "$broker_pid")
  echo "broker: GridGov.Realtime $(git rev-parse --short HEAD) (pid $broker_pid) ${SILO_ARGS:-}"
fi

echo "command: $loadgen ${args[*]} --json --quiet"
echo "machine: $(nproc) cores, $(uname -r)"
for i in $(seq "$runs"); do
  if ! "$loadgen" "${args[@]}" --json --quiet > "$workdir/run$i.out"; then
    cat "$workdir/run$i.out" >&2
    echo "run $i failed: not a measurement" >&2
    exit 1
  fi
  tail -1 "$workdir/run$i.out" > "$workdir/run$i.json"
  echo "run $i: $(tail -1 "$workdir/run$i.out")"
done

python3 - "$workdir" "$runs" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
rows = [json.load(open(f"{d}/run{i}.json")) for i in range(1, n + 1)]
keys = [k for k, v in rows[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
print(f"median of {n} runs:")
for k in keys:
    vals = [r[k] for r in rows if k in r]
    print(f"  {k:24} {statistics.median(vals):>12g}   (min {min(vals):g}, max {max(vals):g})")
print(json.dumps({"runs": n, **{k: statistics.median([r[k] for r in rows if k in r]) for k in keys}}))
PY
