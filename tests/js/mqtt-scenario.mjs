// Drives one MQTT.js client from JSON commands on stdin and reports events as JSON lines on stdout.
// Used by tests/Edge.Tests/Broker to exercise the broker with a real 3.1.1 / 5.0 client.
import mqtt from 'mqtt';
import readline from 'node:readline';

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
let client;
// Acknowledgement callbacks held back by holdAll, released in order by the 'release' command.
const held = [];
const message = (topic, payload, p) => ({ ev: 'message', topic, payload: payload.toString(), qos: p.qos, retain: p.retain, dup: p.dup, messageId: p.messageId ?? null, properties: p.properties ?? null });
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line);
  try {
    switch (cmd.op) {
      case 'connect':
        client = mqtt.connect(cmd.url, { reconnectPeriod: 0, connectTimeout: 10000, ...cmd.options });
        // holdAcks: receive QoS 1/2 messages but never acknowledge them (a subscriber that dies mid-flow).
        if (cmd.holdAcks) client.handleMessage = () => {};
        // holdAcks also leaves a QoS 2 PUBLISH without PUBREC (MQTT.js would otherwise send it before handling).
        // holdAll: QoS 1/2 are reported at once but acknowledged only on 'release' (a slow subscriber, for flow control).
        if (cmd.holdAcks || cmd.holdAll) {
          client.options.customHandleAcks = (topic, payload, p, cb) => {
            if (cmd.holdAll || p.qos === 2) {
              out(message(topic, payload, p));
              if (cmd.holdAll) held.push(cb);
            } else cb(0);
          };
        }
        client.on('connect', (p) => out({ ev: 'connack', sessionPresent: p.sessionPresent, reasonCode: p.reasonCode ?? p.returnCode ?? 0, properties: p.properties ?? null }));
        client.on('message', (topic, payload, p) => {
          // Held QoS 1/2 messages were reported by customHandleAcks already.
          if (!(cmd.holdAll && p.qos > 0)) out(message(topic, payload, p));
        });
        client.on('error', (e) => out({ ev: 'error', message: e.message, code: e.code ?? null }));
        client.on('disconnect', (p) => out({ ev: 'disconnect', reasonCode: p.reasonCode ?? 0, properties: p.properties ?? null }));
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
      case 'unsubscribe':
        client.unsubscribe(cmd.topic, cmd.options ?? {}, (err, p) =>
          out({ ev: 'unsuback', error: err?.message ?? null, granted: p?.granted ?? null })); // 5.0: a reason code per filter
        break;
      case 'release':
        for (const cb of held.splice(0)) cb(0);
        break;
      case 'end':
        // options: a 5.0 DISCONNECT's reasonCode / properties (e.g. 4 = disconnect with will message).
        client.end(!!cmd.force, cmd.options ?? {}, () => out({ ev: 'ended' }));
        break;
      case 'reconnect':
        // A new network connection keeping the client's stores: unacknowledged publishes are sent again.
        client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
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
