// Child process of bench/promql.bench.ts: a vigil App over `DATA_DIR` with `CONFIG_FILE`, in a process of its own
// as Prometheus is, so that its latency and memory are measured from outside. Started with --expose-gc and an
// IPC channel: it sends `{ url, token }` once it listens; `'gc'` forces a full GC and answers `'gc-done'`;
// `'stop'` stops the App and exits.
import { App } from '../src/app.ts';
import { createLogger } from '../src/log/index.ts';
import { createApiToken } from '../src/server/index.ts';

const [dataDir, configFile] = process.argv.slice(2);
if (dataDir === undefined || configFile === undefined || process.send === undefined) {
  console.error(
    'usage: node --import tsx --expose-gc bench/promql-vigil.ts DATA_DIR CONFIG_FILE (with an IPC channel)',
  );
  process.exit(2);
}
const send = process.send.bind(process);
const app = await App.start({
  configFile,
  dataDir,
  listen: '127.0.0.1:0',
  logger: createLogger({ level: 'warn', write: (l) => process.stderr.write(l.endsWith('\n') ? l : `${l}\n`) }),
  logLevel: 'warn',
  env: { VIGIL_ADMIN_PASSWORD: 'benchmark-password' },
  console: () => {},
});
const admin = app.store.users.byName('admin');
const token = createApiToken(app.store, admin?.id ?? 0, 'promql-bench', null).secret;
process.on('message', (m) => {
  if (m === 'gc') {
    globalThis.gc?.();
    send('gc-done');
  } else if (m === 'stop') {
    void app.stop().then(() => process.exit(0));
  }
});
// The parent going away (killed, crashed) takes this process with it.
process.on('disconnect', () => void app.stop().then(() => process.exit(0)));
send({ url: app.url(), token });
