// Debian's amtool 0.25 against vigil's Alertmanager API: add and query alerts, add, query and expire a
// silence, and read the routing tree from /api/v2/status.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminPassword, startApp, type TestApp } from './support/app.ts';

const AMTOOL = '/usr/bin/amtool';
const missing = existsSync(AMTOOL) ? false : `${AMTOOL} is missing (apt-get install prometheus-alertmanager)`;

describe('amtool against vigil', { skip: missing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amtool-'));
  let vigil: TestApp | undefined;
  const amtool = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        AMTOOL,
        [`--alertmanager.url=${vigil?.base}`, `--http.config.file=${join(dir, 'http.yml')}`, ...args],
        { timeout: 20_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`amtool ${args.join(' ')}: ${stderr}`)) : resolve(stdout)),
      );
    });

  before(async () => {
    writeFileSync(join(dir, 'http.yml'), `basic_auth:\n  username: admin\n  password: '${adminPassword}'\n`);
    vigil = await startApp({
      config: `route:
  receiver: ops
  group_by: [alertname]
  routes:
    - receiver: security
      matchers: [team="security"]
receivers:
  - name: ops
    webhook_configs: [{url: 'http://127.0.0.1:9/hook/token'}]
  - name: security
    webhook_configs: [{url: 'http://127.0.0.1:9/sec'}]
collector:
  enabled: false
`,
    });
  });
  after(async () => {
    await vigil?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds and queries alerts, silences one and expires the silence', async () => {
    await amtool('alert', 'add', 'DiskFull', 'instance=db-1', 'severity=critical', '--annotation=summary=disk is full');
    const alerts = JSON.parse(await amtool('alert', 'query', '-o', 'json')) as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      status: { state: string };
    }[];
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]?.labels, { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' });
    assert.equal(alerts[0]?.annotations.summary, 'disk is full');
    assert.equal(alerts[0]?.status.state, 'active');

    const id = (
      await amtool('silence', 'add', 'alertname=DiskFull', '-c', 'replacing the disk', '-a', 'ops', '-d', '1h')
    ).trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal((await amtool('silence', 'query', '-q')).trim(), id);
    const silenced = JSON.parse(await amtool('alert', 'query', '-o', 'json', '--silenced')) as {
      status: { state: string };
    }[];
    assert.equal(silenced[0]?.status.state, 'suppressed');
    await amtool('silence', 'expire', id);
    assert.equal((await amtool('silence', 'query', '-q')).trim(), '');
  });

  it('reads the routing tree from the status API', async () => {
    const tree = await amtool('config', 'routes');
    assert.match(tree, /receiver: ops/);
    assert.match(tree, /\{team="security"\}\s+receiver: security/);
    assert.equal((await amtool('config', 'routes', 'test', 'team=security')).trim(), 'security');
    const shown = await amtool('config', 'show');
    assert.doesNotMatch(shown, /hook\/token/, 'the webhook path stays secret');
  });
});
