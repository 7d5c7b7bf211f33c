// Drives one MQTT.js client from JSON commands on stdin and reports events as JSON lines on stdout.
// Used by tests/Edge.Tests/Broker to exercise the broker with a real 3.1.1 / 5.0 client.
import mqtt from 'mqtt';
import readline from 'node:readline';

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
let client;
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line);
  try {
    switch (cmd.op) {
      case 'connect':
        client = mqtt.connect(cmd.url, { reconnectPeriod: 0, connectTimeout: 10000, ...cmd.options });
        // holdAcks: receive QoS 1/2 messages but never acknowledge them (a subscriber that dies mid-flow).
        if (cmd.holdAcks) client.handleMessage = () => {};
        client.on('connect', (p) => out({ ev: 'connack', sessionPresent: p.sessionPresent, reasonCode: p.reasonCode ?? p.returnCode ?? 0, properties: p.properties ?? null }));
        client.on('message', (topic, payload, p) => out({ ev: 'message', topic, payload: payload.toString(), qos: p.qos, retain: p.retain, dup: p.dup, properties: p.properties ?? null }));
        client.on('error', (e) => out({ ev: 'error', message: e.message, code: e.code ?? null }));
        client.on('disconnect', (p) => out({ ev: 'disconnect', reasonCode: p.reasonCode ?? 0 }));
        client.on('close', () => out({ ev: 'close' }));
        break;
      case 'subscribe':
        client.subscribe(cmd.topic, cmd.options ?? { qos: 0 }, (err, granted) =>
          out({ ev: 'suback', error: err?.message ?? null, granted: granted?.map((g) => g.qos) ?? null }));
        break;
      case 'publish':
        client.publish(cmd.topic, cmd.payload ?? '', cmd.options ?? {}, (err, p) =>
          out({ ev: 'published', id: cmd.id ?? null, error: err?.message ?? null, reasonCode: err?.code ?? p?.reasonCode ?? null }));
        break;
      case 'end':
        client.end(!!cmd.force, {}, () => out({ ev: 'ended' }));
        break;
      case 'destroy':
        client.stream.destroy();
        break;
      case 'exit':
        process.exit(0);
    }
  } catch (e) {
    out({ ev: 'error', message: e.message });
  }
});
rl.on('close', () => process.exit(0));
