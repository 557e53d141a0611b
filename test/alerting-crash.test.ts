// kill -9 vigil while notifications are pending (the receiver answers 500): after a restart each group's
// notification is delivered exactly once — the outbox keeps what was enqueued, the notification log keeps
// the restarted dispatcher from sending it again — and the resolutions follow, once each.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { basic, request } from './support/http.ts';
import { requireBuild, runVigil, type Vigil } from './support/process.ts';

const password = 'crash test password';

describe('notifications survive kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-crash-'));
  let failing = true;
  let attempts = 0;
  const accepted: { groupKey: string; status: string }[] = [];
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      if (failing) {
        res.statusCode = 500;
        res.end('down for maintenance');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupKey: string; status: string };
      accepted.push({ groupKey: body.groupKey, status: body.status });
      res.end();
    });
  });
  let vigil: Vigil | undefined;

  before(async () => {
    requireBuild();
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const port = (sink.address() as AddressInfo).port;
    writeFileSync(
      join(dir, 'vigil.yml'),
      `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs: [{url: 'http://127.0.0.1:${port}/hook'}]
collector:
  enabled: false
`,
    );
  });
  after(async () => {
    vigil?.child.kill('SIGKILL');
    sink.closeAllConnections();
    await new Promise((r) => sink.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    vigil = runVigil(['start', '--config', 'vigil.yml', '--data-dir', 'data', '--listen', '127.0.0.1:0'], {
      cwd: dir,
      env: { VIGIL_ADMIN_PASSWORD: password },
    });
    const m = await vigil.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    return m[1] as string;
  };
  const post = async (base: string, alerts: unknown[]) => {
    const r = await request(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basic('admin', password) },
      body: JSON.stringify(alerts),
    });
    assert.equal(r.status, 200, r.text);
  };
  const names = ['DiskFull', 'HighLatency', 'TargetDown'];
  const firing = names.map((alertname) => ({ labels: { alertname, instance: 'host-1' } }));

  it('delivers each pending notification exactly once after a restart', async () => {
    let base = await start();
    await post(base, firing);
    // Wait until every group's notification was attempted (and refused): they sit in the outbox.
    const deadline = Date.now() + 10_000;
    while (attempts < names.length && Date.now() < deadline) await sleep(50);
    assert.ok(attempts >= names.length, `attempts: ${attempts}`);
    vigil?.child.kill('SIGKILL');
    await vigil?.exited;

    failing = false;
    base = await start();
    // Prometheus keeps sending firing alerts; the restarted dispatcher must not notify them again.
    await post(base, firing);
    const until = Date.now() + 8_000;
    while (accepted.length < names.length && Date.now() < until) await sleep(50);
    await sleep(2_500);
    assert.deepEqual(
      accepted.map((a) => `${a.groupKey} ${a.status}`).sort(),
      names.map((n) => `{}:{alertname="${n}"} firing`),
    );

    await post(
      base,
      names.map((alertname) => ({ labels: { alertname, instance: 'host-1' }, endsAt: new Date().toISOString() })),
    );
    const resolvedBy = Date.now() + 8_000;
    while (accepted.length < 2 * names.length && Date.now() < resolvedBy) await sleep(50);
    await sleep(1_500);
    assert.deepEqual(
      accepted
        .filter((a) => a.status === 'resolved')
        .map((a) => a.groupKey)
        .sort(),
      names.map((n) => `{}:{alertname="${n}"}`),
    );
    assert.equal(accepted.length, 2 * names.length);
  });
});
