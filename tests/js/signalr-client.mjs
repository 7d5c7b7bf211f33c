// A command centre as a real @microsoft/signalr client, driven by an xUnit test.
// Usage: node signalr-client.mjs '{"url":"http://127.0.0.1:5080","token":"…","subscribe":["310104"]}'
// Prints one JSON object per line: {"event":"subscribed"|"refused", "region", "error"?} per region, then
// {"event":"ready"}, then {"event":"<client method>", "data":…} for every message received.
// Ends on "exit" (or end of input) on stdin, or after timeoutMs (default 60 s) as a safety limit.
import * as signalR from '@microsoft/signalr';
import readline from 'node:readline';

const args = JSON.parse(process.argv[2]);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${args.url}/hubs/command-centre`, {
    accessTokenFactory: () => args.token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: !args.negotiate, // negotiating first reports an HTTP status (401) instead of a WebSocket error
  })
  .configureLogging(signalR.LogLevel.Error)
  .build();

for (const method of ['Positions', 'WorkerStatus', 'GridTransition', 'Alert', 'Counters', 'Warning', 'CaseUpdated', 'CaseEscalated']) {
  connection.on(method, (data) => print({ event: method, data }));
}
connection.onclose((error) => print({ event: 'closed', error: error?.message ?? null }));

const stop = async (code) => {
  try { await connection.stop(); } finally { process.exit(code); }
};
setTimeout(() => { print({ event: 'timeout' }); stop(2); }, args.timeoutMs ?? 60_000).unref();
readline.createInterface({ input: process.stdin })
  .on('line', (line) => { if (line.trim() === 'exit') stop(0); })
  .on('close', () => stop(0));

try {
  await connection.start();
} catch (e) {
  print({ event: 'failed', error: e.message });
  process.exit(1);
}
for (const region of args.subscribe ?? []) {
  try {
    await connection.invoke('Subscribe', region);
    print({ event: 'subscribed', region });
  } catch (e) {
    print({ event: 'refused', region, error: e.message });
  }
}
print({ event: 'ready' });
