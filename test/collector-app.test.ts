// The collector inside vigil: real cgroups with real processes, read through the live API, the cAdvisor API and
// PromQL over what the collector stored; and `vigil collector` mode with cAdvisor's families on /metrics.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { killAndWait, realCgroupsUnavailable, sleep, TestCgroup } from '../src/collector/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

const skip = realCgroupsUnavailable();
const auth = { Authorization: basic('admin', adminPassword) };

describe('the collector inside vigil start', { skip: skip ?? false }, () => {
  let t: TestApp;
  let cg: TestCgroup;
  before(async () => {
    t = await startApp({
      config: 'collector:\n  housekeeping_interval: 250ms\n  store_interval: 1s\n  docker:\n    enabled: false\n',
    });
    cg = TestCgroup.create();
    cg.spawn('sh', ['-c', 'while :; do :; done']);
    await sleep(3500);
  });
  after(async () => {
    for (const c of cg?.children ?? []) await killAndWait(c);
    await cg?.destroy();
    await t?.close();
  });

  it('lists the cgroup in the live API with ~1 core of CPU', async () => {
    const r = await request(`${t.base}/api/v1/live/containers`, { headers: auth });
    assert.equal(r.status, 200);
    const list = r.json<{ data: Array<{ id: string; cpuCores: number | null; processes: number | null }> }>().data;
    const mine = list.find((c) => c.id === cg.ref().id);
    assert.ok(mine, `${cg.ref().id} among ${list.map((c) => c.id).join(', ')}`);
    assert.ok(mine.cpuCores !== null && mine.cpuCores > 0.6 && mine.cpuCores < 1.2, `cpu ${mine.cpuCores}`);
    assert.equal(mine.processes, 1);
    assert.ok(
      list.some((c) => c.id === '/'),
      'the root container too',
    );
  });

  it('gives one container its history with rates, and 404 for an unknown one', async () => {
    const r = await request(`${t.base}/api/v1/live/containers${cg.ref().id}`, { headers: auth });
    assert.equal(r.status, 200);
    const h = r.json<{ data: { points: Array<{ t: number; cpuCores: number | null }> } }>().data;
    assert.ok(h.points.length >= 5, `points ${h.points.length}`);
    assert.ok(h.points.every((p, i) => i === 0 || p.t > (h.points[i - 1] as { t: number }).t));
    assert.equal((await request(`${t.base}/api/v1/live/containers/nope`, { headers: auth })).status, 404);
    assert.equal((await request(`${t.base}/api/v1/live/containers`)).status, 401, 'behind authentication');
  });

  it('streams passes as Server-Sent Events', async () => {
    const events = await new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      const req = http.get(`${t.base}/api/v1/live/stream`, { headers: auth }, (res) => {
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/event-stream/);
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            got.push(buf.slice(0, i));
            buf = buf.slice(i + 2);
            if (got.length >= 3) {
              req.destroy();
              resolve(got);
            }
          }
        });
      });
      req.on('error', (err) => (got.length >= 3 ? undefined : reject(err)));
    });
    for (const e of events) {
      assert.match(e, /^event: containers\ndata: \[/);
      const data = JSON.parse(e.slice(e.indexOf('data: ') + 6)) as Array<{ id: string }>;
      assert.ok(data.some((c) => c.id === cg.ref().id));
    }
  });

  it('answers the cAdvisor API for the machine and the container', async () => {
    const m = await request(`${t.base}/api/v1.3/machine`, { headers: auth });
    assert.equal(m.status, 200);
    const machine = m.json<{ num_cores: number; memory_capacity: number }>();
    assert.ok(machine.num_cores >= 1 && machine.memory_capacity > 0);
    const c = await request(`${t.base}/api/v1.3/containers${cg.ref().id}?num_stats=3`, { headers: auth });
    assert.equal(c.status, 200);
    const info = c.json<{ name: string; stats: Array<{ timestamp: string; cpu: { usage: { total: number } } }> }>();
    assert.equal(info.name, cg.ref().id);
    assert.equal(info.stats.length, 3);
    assert.match(info.stats[0]?.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.ok((info.stats[2]?.cpu.usage.total ?? 0) > (info.stats[0]?.cpu.usage.total ?? 0));
    const v2 = await request(`${t.base}/api/v2.0/stats${cg.ref().id}?count=2`, { headers: auth });
    assert.equal(v2.status, 200);
    assert.equal((v2.json<Record<string, unknown[]>>()[cg.ref().id] ?? []).length, 2);
  });

  it('stores the families in the TSDB, so PromQL sees ~1 core', async () => {
    const q = new URLSearchParams({
      query: `rate(container_cpu_usage_seconds_total{id="${cg.ref().id}"}[3s])`,
    });
    const r = await request(`${t.base}/api/v1/query?${q}`, { headers: auth });
    assert.equal(r.status, 200);
    const result = r.json<{ data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }>()
      .data.result;
    assert.ok(result.length >= 1, JSON.stringify(result));
    const cores = result.reduce((n, s) => n + Number(s.value[1]), 0);
    assert.ok(cores > 0.6 && cores < 1.2, `rate ${cores}`);
    assert.equal(result[0]?.metric.job, 'collector');
    const host = await request(
      `${t.base}/api/v1/query?${new URLSearchParams({ query: 'node_memory_MemTotal_bytes' })}`,
      {
        headers: auth,
      },
    );
    assert.equal(host.json<{ data: { result: unknown[] } }>().data.result.length, 1, 'host families stored too');
  });
});

describe('vigil collector', { skip: skip ?? false }, () => {
  it('serves cAdvisor families on /metrics without a TSDB', async () => {
    const t = await startApp({ mode: 'collector', config: 'collector:\n  docker:\n    enabled: false\n' });
    try {
      await sleep(1200);
      const r = await request(`${t.base}/metrics`, { headers: auth });
      assert.equal(r.status, 200);
      const text = r.text;
      assert.match(text, /^# TYPE container_cpu_usage_seconds_total counter$/m);
      // Empty labels (no image, no name for a raw cgroup) are absent, which PromQL treats the same as "".
      assert.match(text, /^container_memory_working_set_bytes\{id="\/"\} \S+$/m);
      assert.match(text, /^node_cpu_seconds_total\{cpu="0",mode="idle"\} /m);
      assert.match(text, /^machine_cpu_cores\{/m);
      const q = await request(`${t.base}/api/v1/query?query=up`, { headers: auth });
      assert.equal(q.status, 503, 'no TSDB in this mode');
    } finally {
      await t.close();
    }
  });
});
