// Child process for test/notify-durability.test.ts: opens a Store and an Outbox on DATA_DIR, enqueues COUNT
// Slack messages to URL, prints "enqueued", and keeps running (delivering, or retrying) until killed.
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/log/index.ts';
import { Outbox } from '../../src/notify/index.ts';
import { Store } from '../../src/store/index.ts';

const [dataDir = '', url = '', count = '0'] = process.argv.slice(2);
const logger = createLogger({ write: () => {} });
const store = Store.open({ path: join(dataDir, 'vigil.db'), logger });
const outbox = new Outbox({
  store,
  logger,
  registry: new Registry(),
  retry: { initialMs: 200, maxMs: 200 },
  slackRatePerSecond: 0,
});
outbox.start();
for (let i = 1; i <= Number(count); i++) {
  outbox.enqueue(
    { kind: 'slack', url, body: { text: `message ${i}` } },
    { source: 'test', receiver: 'ops', integration: 'slack/0', summary: `message ${i}` },
  );
}
process.stdout.write('enqueued\n');
setInterval(() => {}, 60_000);
