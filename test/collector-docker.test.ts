// The collector inside vigil start against real Docker containers: the three of
// ../shared/containers/start-test-containers.sh (a private dockerd on /run/vigil-docker/docker.sock), read through
// the live API, the cAdvisor API and PromQL over stored samples, and checked against the Engine API and the cgroup
// files themselves. Skipped, with the script's stderr as the reason, where the containers cannot be started.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sleep } from '../src/collector/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

const scripts = fileURLToPath(new URL('../../shared/containers/', import.meta.url));
const socketPath = '/run/vigil-docker/docker.sock';
const housekeepingMs = 500;
const image = 'vigil-test/busybox:latest';
const names = ['vigil-cpu', 'vigil-mem', 'vigil-net'] as const;
const auth = { Authorization: basic('admin', adminPassword) };

interface Summary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  timestamp: number;
  cpuCores: number | null;
  cpuThrottledPeriodsPerSecond: number | null;
  memoryUsageBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
}

interface Point {
  t: number;
  cpuCores: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
}

interface CadvisorStats {
  timestamp: string;
  cpu: { usage: { total: number }; cfs: { periods: number; throttled_periods: number } };
  network: { interfaces: Array<{ name: string; rx_bytes: number; tx_bytes: number }> };
}

/** Runs one of the shared container scripts; resolves with its exit code and output, never rejects. */
function runScript(name: string, timeoutMs: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [`${scripts}${name}`], { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ ok: err === null, stdout, stderr: stderr || (err?.message ?? '') });
    });
  });
}

/** The Docker Engine API over its unix socket. */
function engine(method: string, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path, method, headers: { Host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`${method} ${path}: no answer from dockerd`)));
    req.end();
  });
}

async function engineId(name: string): Promise<string> {
  const r = await engine('GET', `/containers/${name}/json`);
  assert.equal(r.status, 200, `inspect ${name}`);
  return (r.body as { Id: string }).Id;
}

/** GET http://<host>:<port><path> from this host; the body's length and when the last byte arrived. */
function download(url: string): Promise<{ status: number; bytes: number; endMs: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, endMs: Date.now() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url}: timed out`)));
  });
}

describe('the collector against real Docker containers', { timeout: 120_000 }, () => {
  let t: TestApp | undefined;
  /** Why the suite cannot run here (the start script failed), or undefined. */
  let unavailable: string | undefined;
  const ids = new Map<string, string>();

  /** Skips `tc` when the containers are not there; node:test cannot skip a whole suite from its before hook. */
  const cannotRun = (tc: TestContext): boolean => {
    if (unavailable === undefined) return false;
    tc.skip(unavailable);
    return true;
  };
  const get = async <T>(path: string): Promise<T> => {
    const r = await request(`${t?.base}${path}`, { headers: auth });
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    return r.json<T>();
  };
  const summaries = async () => (await get<{ data: Summary[] }>('/api/v1/live/containers')).data;
  const summaryOf = async (name: string): Promise<Summary> => {
    const list = await summaries();
    const s = list.find((c) => c.name === name);
    assert.ok(s, `${name} among ${list.map((c) => c.name || c.id).join(', ')}`);
    return s;
  };
  const statsOf = async (name: string, n: number): Promise<CadvisorStats[]> =>
    (await get<{ stats: CadvisorStats[] }>(`/api/v1.3/containers/docker/${ids.get(name)}?num_stats=${n}`)).stats;
  const query = async (q: string) =>
    (
      await get<{ data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }>(
        `/api/v1/query?${new URLSearchParams({ query: q })}`,
      )
    ).data.result;
  const scalar = async (q: string): Promise<number> => {
    const r = await query(q);
    assert.equal(r.length, 1, `${q}: ${JSON.stringify(r)}`);
    return Number(r[0]?.value[1]);
  };
  const eth0 = (s: CadvisorStats | undefined) => {
    const i = s?.network.interfaces.find((x) => x.name === 'eth0');
    assert.ok(i, `eth0 among ${JSON.stringify(s?.network.interfaces.map((x) => x.name))}`);
    return i;
  };

  before(
    async () => {
      const started = await runScript('start-test-containers.sh', 60_000);
      if (!started.ok) {
        unavailable = `start-test-containers.sh failed: ${started.stderr.trim().split('\n').slice(-5).join(' | ')}`;
        return;
      }
      for (const name of names) ids.set(name, await engineId(name));
      t = await startApp({
        config: [
          'collector:',
          `  housekeeping_interval: ${housekeepingMs}ms`,
          '  store_interval: 1s',
          '  docker:',
          `    host: unix://${socketPath}`,
          "  container_labels: ['*']",
          '',
        ].join('\n'),
      });
      await sleep(3500);
    },
    { timeout: 90_000 },
  );

  after(
    async () => {
      await t?.close();
      // Also after a failed start, which may have left its dockerd up; without --purge, so the image stays.
      const stopped = await runScript('stop-test-containers.sh', 60_000);
      if (unavailable === undefined) assert.ok(stopped.ok, `stop-test-containers.sh: ${stopped.stderr}`);
    },
    { timeout: 90_000 },
  );

  it('lists the three containers by name, image and Docker labels, ids as the Engine API gives them', async (tc) => {
    if (cannotRun(tc)) return;
    const list = await summaries();
    for (const name of names) {
      const s = list.find((c) => c.name === name);
      assert.ok(s, `${name} among ${list.map((c) => c.name || c.id).join(', ')}`);
      const id = ids.get(name) ?? '';
      assert.match(id, /^[0-9a-f]{64}$/);
      assert.equal(s.id, `/docker/${id}`);
      assert.equal(s.image, image);
      const role = name.slice('vigil-'.length);
      assert.deepEqual(
        {
          'vigil.test': s.labels['vigil.test'],
          'vigil.role': s.labels['vigil.role'],
          'com.docker.compose.project': s.labels['com.docker.compose.project'],
          'com.docker.compose.service': s.labels['com.docker.compose.service'],
        },
        {
          'vigil.test': '1',
          'vigil.role': role,
          'com.docker.compose.project': 'vigil-test',
          'com.docker.compose.service': role,
        },
      );
    }
  });

  it('sees vigil-cpu at 0.5 core, throttled 10 times a second, with its CFS quota stored', async (tc) => {
    if (cannotRun(tc)) return;
    const s = await summaryOf('vigil-cpu');
    const h = await get<{ data: { points: Point[] } }>(`/api/v1/live/containers${s.id}?since=${Date.now() - 3000}`);
    const cores = h.data.points.flatMap((p) => (p.cpuCores === null ? [] : [p.cpuCores]));
    assert.ok(cores.length >= 4, `points ${cores.length}`);
    const mean = cores.reduce((a, b) => a + b, 0) / cores.length;
    tc.diagnostic(
      `vigil-cpu: ${mean.toFixed(3)} cores over ${cores.length} passes (${cores.map((c) => c.toFixed(2))})`,
    );
    assert.ok(mean > 0.45 && mean < 0.55, `cpu ${mean}`);

    const stats = await statsOf('vigil-cpu', 7);
    const first = stats[0];
    const last = stats.at(-1);
    assert.ok(first && last && stats.length === 7);
    const seconds = (Date.parse(last.timestamp) - Date.parse(first.timestamp)) / 1000;
    const throttled = (last.cpu.cfs.throttled_periods - first.cpu.cfs.throttled_periods) / seconds;
    const periods = (last.cpu.cfs.periods - first.cpu.cfs.periods) / seconds;
    tc.diagnostic(`vigil-cpu: ${throttled.toFixed(1)} throttled of ${periods.toFixed(1)} periods/s over ${seconds} s`);
    assert.ok(throttled > 8 && throttled < 12, `throttled periods/s ${throttled}`);
    assert.ok(
      stats.every((x, i) => i === 0 || x.cpu.cfs.throttled_periods >= (stats[i - 1]?.cpu.cfs.throttled_periods ?? 0)),
    );
    assert.ok(s.cpuThrottledPeriodsPerSecond !== null && s.cpuThrottledPeriodsPerSecond > 0);

    assert.equal(await scalar('container_spec_cpu_quota{name="vigil-cpu"}'), 50_000);
    assert.equal(await scalar('container_spec_cpu_period{name="vigil-cpu"}'), 100_000);
  });

  it('sees vigil-mem at ~169 MB, as memory.usage_in_bytes says, under its 256 MiB limit', async (tc) => {
    if (cannotRun(tc)) return;
    const s = await summaryOf('vigil-mem');
    const file = Number(readFileSync(`/sys/fs/cgroup/memory${s.id}/memory.usage_in_bytes`, 'utf8'));
    const live = s.memoryUsageBytes ?? 0;
    tc.diagnostic(`vigil-mem: live ${live} bytes, memory.usage_in_bytes ${file}`);
    const expected = 169e6;
    assert.ok(Math.abs(live - expected) / expected < 0.1, `live ${live}`);
    assert.ok(Math.abs(file - expected) / expected < 0.1, `file ${file}`);
    // Half a second apart at most; the container's 1 MiB O_DIRECT writes move it little.
    assert.ok(Math.abs(live - file) / file < 0.02, `live ${live} vs file ${file}`);
    assert.equal(await scalar('container_spec_memory_limit_bytes{name="vigil-mem"}'), 268_435_456);
  });

  it('sees vigil-net traffic on eth0, and a 256 KiB download from it within two passes', async (tc) => {
    if (cannotRun(tc)) return;
    const s = await summaryOf('vigil-net');
    tc.diagnostic(`vigil-net: rx ${s.networkRxBytesPerSecond} B/s, tx ${s.networkTxBytesPerSecond} B/s`);
    assert.ok((s.networkRxBytesPerSecond ?? 0) > 0, `rx ${s.networkRxBytesPerSecond}`);
    assert.ok((s.networkTxBytesPerSecond ?? 0) > 0, `tx ${s.networkTxBytesPerSecond}`);

    const before = eth0((await statsOf('vigil-net', 1))[0]).tx_bytes;
    const got = await download('http://10.213.7.12:8080/blob');
    assert.deepEqual({ status: got.status, bytes: got.bytes }, { status: 200, bytes: 256 * 1024 });
    // The first pass started after the last byte arrived must have it, and one comes within two intervals.
    let grew = 0;
    while (Date.now() < got.endMs + 2 * housekeepingMs) {
      await sleep(50);
      const latest = (await statsOf('vigil-net', 1))[0];
      if (latest !== undefined && Date.parse(latest.timestamp) >= got.endMs) {
        grew = eth0(latest).tx_bytes - before;
        tc.diagnostic(`vigil-net: eth0 tx +${grew} bytes, ${Date.parse(latest.timestamp) - got.endMs} ms after`);
        break;
      }
    }
    assert.ok(grew >= 256 * 1024, `tx grew by ${grew}`);
  });

  it('stores the families with image, name and container_label_* labels for PromQL', async (tc) => {
    if (cannotRun(tc)) return;
    const r = await query('container_cpu_usage_seconds_total{name="vigil-cpu"}');
    assert.ok(r.length >= 1, JSON.stringify(r));
    for (const { metric } of r) {
      assert.equal(metric.image, image);
      assert.equal(metric.name, 'vigil-cpu');
      assert.equal(metric.container_label_vigil_role, 'cpu');
      assert.equal(metric.container_label_com_docker_compose_service, 'cpu');
      assert.equal(metric.id, `/docker/${ids.get('vigil-cpu')}`);
    }
    const seen = await scalar('count(container_last_seen{image!=""})');
    tc.diagnostic(`count(container_last_seen{image!=""}) = ${seen}`);
    assert.ok(seen >= 3, `count ${seen}`);
  });

  it('follows a docker stop and start of vigil-net, with no negative rates across the restart', async (tc) => {
    if (cannotRun(tc)) return;
    const oldId = ids.get('vigil-net') ?? '';
    const oldPid = ((await engine('GET', '/containers/vigil-net/json')).body as { State: { Pid: number } }).State.Pid;
    const stoppingMs = Date.now();
    // ping is pid 1 and ignores SIGTERM: t=1 has dockerd kill it after a second instead of ten. Start follows at
    // once: when no pass falls between the two, the container keeps its ring and its counters restart from zero
    // inside it; otherwise it is dropped and found again with a new ring. Rates must be sane either way.
    assert.equal((await engine('POST', '/containers/vigil-net/stop?t=1')).status, 204);
    assert.equal((await engine('POST', '/containers/vigil-net/start')).status, 204);
    const startedMs = Date.now();
    const inspect = (await engine('GET', '/containers/vigil-net/json')).body as { Id: string; State: { Pid: number } };
    tc.diagnostic(`vigil-net: id ${inspect.Id === oldId ? 'kept' : 'changed'}, pid ${oldPid} -> ${inspect.State.Pid}`);
    // A restart keeps the container, so its id and cgroup path (/docker/<id>) stay.
    assert.equal(inspect.Id, oldId);
    assert.notEqual(inspect.State.Pid, oldPid);

    // Back in the live API, named, with network figures read through the new process.
    let back: Summary | undefined;
    const deadline = startedMs + 10_000;
    while (back === undefined && Date.now() < deadline) {
      await sleep(housekeepingMs / 2);
      const s = (await summaries()).find((c) => c.id === `/docker/${oldId}`);
      if (s !== undefined && s.timestamp > startedMs && (s.networkTxBytesPerSecond ?? 0) > 0) back = s;
    }
    assert.ok(back, 'vigil-net back with traffic');
    tc.diagnostic(`vigil-net: back ${back.timestamp - startedMs} ms after the start returned`);
    assert.equal(back.name, 'vigil-net');
    assert.equal(back.image, image);
    assert.equal(back.labels['vigil.role'], 'net');
    await sleep(4 * housekeepingMs);

    const points = (await get<{ data: { points: Point[] } }>(`/api/v1/live/containers${back.id}`)).data.points;
    const spans = points.some((p) => p.t < stoppingMs);
    tc.diagnostic(`vigil-net: ${points.length} passes in its ring, ${spans ? 'spanning' : 'all after'} the restart`);
    // Counted from zero, a reset gives at most what the new container did since it started: no negative rate,
    // and no spike (the ping moves ~7 KB/s each way; a core is 1).
    const insane = points.filter(
      (p) =>
        !((p.cpuCores ?? 0) >= 0 && (p.cpuCores ?? 0) < 1) ||
        !((p.networkRxBytesPerSecond ?? 0) >= 0 && (p.networkRxBytesPerSecond ?? 0) < 1e6) ||
        !((p.networkTxBytesPerSecond ?? 0) >= 0 && (p.networkTxBytesPerSecond ?? 0) < 1e6),
    );
    assert.deepEqual(insane, []);
    const s = await summaryOf('vigil-net');
    for (const v of [s.cpuCores, s.networkRxBytesPerSecond, s.networkTxBytesPerSecond]) {
      assert.ok(v !== null && v >= 0, JSON.stringify(s));
    }
    assert.ok(eth0((await statsOf('vigil-net', 1))[0]).tx_bytes > 0);
  });
});
