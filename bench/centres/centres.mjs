// Command centres under load: N real @microsoft/signalr connections to /hubs/command-centre, each subscribed to one
// region scope, counting what they receive and measuring fix → screen latency (receive time − the fix's own
// timestamp, which the load generator's terminals set at publish time; same machine, same clock).
//
//   node bench/centres/centres.mjs --url http://127.0.0.1:18899 --token JWT --scopes 310101,310102 \
//        --connections 2000 --duration 20 [--warmup 5] [--pid SERVER_PID]
//
// Prints one JSON line: connections, subscribed, messages/s per kind, positions/s, batch rate per connection,
// latency percentiles (ms), the server's CPU (% of one core, from /proc/PID/stat) and this process's CPU.
// Uses the SignalR client installed for the tests (tests/js), so run tests/js `npm ci` first.
import { createRequire } from 'node:module';
import fs from 'node:fs';

const require = createRequire(new URL('../../tests/js/package.json', import.meta.url));
const signalR = require('@microsoft/signalr');

const opt = { connections: 100, duration: 20, warmup: 5, concurrency: 50 };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['connections', 'duration', 'warmup', 'concurrency', 'pid']) if (opt[k] !== undefined) opt[k] = Number(opt[k]);
const scopes = String(opt.scopes ?? '').split(',').filter(Boolean);
if (!opt.url || !opt.token || scopes.length === 0) {
  console.error('usage: centres.mjs --url URL --token JWT --scopes CODE[,CODE...] [--connections N] [--duration S] [--warmup S] [--pid PID]');
  process.exit(2);
}

const ticks = () => {
  if (!opt.pid) return null;
  const f = fs.readFileSync(`/proc/${opt.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks (100/s)
};

let measuring = false;
const counts = {};
let positions = 0;
const latencies = [];
const onMessage = (kind) => (data) => {
  if (!measuring) return;
  counts[kind] = (counts[kind] ?? 0) + 1;
  if (kind === 'Positions') {
    const now = Date.now();
    for (const p of data.positions) {
      positions++;
      if (latencies.length < 2_000_000) latencies.push(now - Date.parse(p.at));
    }
  }
};

const connections = [];
let subscribed = 0;
let failed = 0;
let closed = 0;
async function open(i) {
  const c = new signalR.HubConnectionBuilder()
    .withUrl(`${opt.url}/hubs/command-centre`, { accessTokenFactory: () => opt.token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const kind of ['Positions', 'WorkerStatus', 'GridTransition', 'Alert', 'Counters', 'Warning']) c.on(kind, onMessage(kind));
  c.onclose(() => { closed++; });
  try {
    await c.start();
    await c.invoke('Subscribe', scopes[i % scopes.length]);
    subscribed++;
    connections.push(c);
  } catch {
    failed++;
  }
}

const started = Date.now();
for (let i = 0; i < opt.connections; i += opt.concurrency) {
  await Promise.all(Array.from({ length: Math.min(opt.concurrency, opt.connections - i) }, (_, j) => open(i + j)));
}
const connectSeconds = (Date.now() - started) / 1000;
await new Promise((r) => setTimeout(r, opt.warmup * 1000));

measuring = true;
closed = 0;
const t0 = ticks();
const cpu0 = process.cpuUsage();
const w0 = Date.now();
await new Promise((r) => setTimeout(r, opt.duration * 1000));
measuring = false;
const seconds = (Date.now() - w0) / 1000;
const t1 = ticks();
const cpu1 = process.cpuUsage(cpu0);

latencies.sort((a, b) => a - b);
const pct = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : null);
const perSecond = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.round(v / seconds)]));
console.log(JSON.stringify({
  connections: opt.connections,
  subscribed,
  failed,
  closed_while_measuring: closed,
  connect_seconds: connectSeconds,
  seconds,
  messages_per_s: perSecond,
  batches_per_connection_per_s: subscribed ? (counts.Positions ?? 0) / seconds / subscribed : 0,
  positions_per_s: Math.round(positions / seconds),
  latency_samples: latencies.length,
  latency_p50_ms: pct(0.5),
  latency_p99_ms: pct(0.99),
  latency_max_ms: latencies.length ? latencies[latencies.length - 1] : null,
  server_cpu_pct: t0 === null ? null : Math.round(((t1 - t0) / 100 / seconds) * 1000) / 10,
  centres_cpu_pct: Math.round(((cpu1.user + cpu1.system) / 1e6 / seconds) * 1000) / 10,
}));
await Promise.allSettled(connections.map((c) => c.stop()));
process.exit(0);
