// The oracle: Prometheus 2.42 itself. It writes a WAL that vigil must read, and reads a WAL that vigil wrote.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  decodeSamples,
  decodeSeries,
  RecordEncoder,
  RecordType,
  type RefSeries,
  recordType,
  SampleBatch,
} from '../record/index.ts';
import {
  FRAGMENT_HEADER_SIZE_BYTES as HEADER,
  listSegments,
  PAGE_SIZE_BYTES as PAGE,
  SNAPPY_FLAG,
  Wal,
  WalCorruptionError,
  WalReader,
} from './index.ts';
import { recordingLogger } from './testing.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is not installed (Debian package prometheus)`;
const WAIT_MS = 30_000;

const root = mkdtempSync(join(tmpdir(), 'vigil-wal-prometheus-'));
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? exited(c) : undefined)));
  rmSync(root, { recursive: true, force: true });
});

function exited(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => c.once('close', () => resolve()));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: () => string;
}

async function startPrometheus(dataDir: string, config: string, port: number): Promise<Running> {
  const configFile = join(dataDir, '..', `${port}.yml`);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(configFile, config);
  const child = spawn(
    PROMETHEUS,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const running = { child, port, log: () => log };
  await until(running, async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).status === 200, 'ready');
  return running;
}

/** Polls `check` every 100 ms until it holds, failing after WAIT_MS or when Prometheus exits. */
async function until(p: Running, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (p.child.exitCode !== null) assert.fail(`prometheus exited (${p.child.exitCode}) before ${what}:\n${p.log()}`);
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) assert.fail(`prometheus not ${what} within ${WAIT_MS} ms:\n${p.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}
interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

async function query<T>(p: Running, expr: string, timeSec: number): Promise<T[]> {
  const url = `http://127.0.0.1:${p.port}/api/v1/query?query=${encodeURIComponent(expr)}&time=${timeSec}`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    status: string;
    data: { result: T[] };
    error?: string;
  };
  assert.equal(body.status, 'success', `${expr}: ${body.error}`);
  return body.data.result;
}

async function kill(p: Running): Promise<void> {
  const done = exited(p.child);
  p.child.kill('SIGKILL');
  await done;
}

/** The type byte of every fragment in a segment file. */
function fragmentTypes(file: Buffer): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < file.length; ) {
    const t = file[pos] as number;
    if (t === 0) {
      pos = pos - (pos % PAGE) + PAGE;
      continue;
    }
    out.push(t);
    pos += HEADER + file.readUInt16BE(pos + 1);
  }
  return out;
}

const labelsOf = (s: RefSeries) => Object.fromEntries(s.labels.map((l) => [l.name, l.value]));

describe('Prometheus 2.42 as the oracle', { skip }, () => {
  it('vigil reads the WAL Prometheus wrote while scraping itself (snappy-compressed)', async () => {
    const data = join(root, 'from-prometheus', 'data');
    const port = await freePort();
    const startMs = Date.now();
    const prom = await startPrometheus(
      data,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: oracle\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
      port,
    );
    await until(
      prom,
      async () => {
        const r = await query<VectorSample>(prom, 'count_over_time(up[1m])', Date.now() / 1000);
        return Number(r[0]?.value[1] ?? 0) >= 3;
      },
      'scraped 3 times',
    );
    // SIGKILL: a clean shutdown could compact the head and leave little in the WAL.
    await kill(prom);
    const endMs = Date.now();

    const walDir = join(data, 'wal');
    const types = listSegments(walDir).flatMap((seg) => fragmentTypes(readFileSync(seg.path)));
    const compressed = types.filter((t) => t & SNAPPY_FLAG).length;
    assert.ok(compressed > 0, `Prometheus compressed ${compressed} of ${types.length} fragments`);

    const reader = WalReader.open({ dir: walDir });
    const series: RefSeries[] = [];
    const samples = new SampleBatch();
    const counts = new Map<number, number>();
    while (reader.next()) {
      const rec = reader.record();
      const type = recordType(rec);
      counts.set(type, (counts.get(type) ?? 0) + 1);
      if (type === RecordType.Series) assert.equal(decodeSeries(rec, series), null);
      if (type === RecordType.Samples) assert.equal(decodeSamples(rec, samples), null);
    }
    reader.close();
    const err = reader.err();
    // A SIGKILL between two page writes of one batch may tear the last record: the repairable case only.
    if (err !== null) {
      assert.ok(err instanceof WalCorruptionError, String(err));
      assert.equal(err.segment, listSegments(walDir).at(-1)?.index, String(err));
    }

    const up = series.find((s) => {
      const l = labelsOf(s);
      return l.__name__ === 'up' && l.job === 'oracle' && l.instance === `127.0.0.1:${port}`;
    });
    assert.ok(up, `no up series among ${series.length}: ${JSON.stringify(series.slice(0, 5))}`);
    assert.ok(series.length > 100, `${series.length} series`);
    const ups: [number, number][] = [];
    for (let i = 0; i < samples.length; i++) {
      if (samples.refs[i] === up.ref) ups.push([samples.timestampsMs[i] as number, samples.values[i] as number]);
    }
    assert.ok(ups.length >= 3, `${ups.length} samples of up`);
    for (const [t, v] of ups) {
      assert.ok(t >= startMs - 1000 && t <= endMs + 1000, `timestamp ${t} outside [${startMs}, ${endMs}]`);
      assert.equal(v, 1);
    }
    for (let i = 1; i < ups.length; i++) {
      const gap = (ups[i]?.[0] as number) - (ups[i - 1]?.[0] as number);
      assert.ok(gap >= 500 && gap <= 2500, `scrapes 1s apart, got ${gap} ms`);
    }
    const refs = new Set(series.map((s) => s.ref));
    for (let i = 0; i < samples.length; i++) {
      assert.ok(refs.has(samples.refs[i] as number), `sample ${i} refers to series ${samples.refs[i]}, never declared`);
    }
  });

  it('Prometheus reads the WAL vigil wrote, values bit for bit, staleness marker included', async () => {
    const data = join(root, 'from-vigil', 'data');
    const walDir = join(data, 'wal');
    const enc = new RecordEncoder();
    const base = Math.floor(Date.now() / 1000) * 1000 - 30 * 60 * 1000;
    const step = 15_000;
    const plainValues = [1.5, -2, 0.1, 1e-300, 1.7976931348623157e308, 12345.678, -0.000123, 42, 2 ** 53, 1 / 3];
    const many = 2000;

    const manySeries: RefSeries[] = [];
    for (let i = 0; i < many; i++) {
      manySeries.push({
        ref: 10 + i,
        labels: [
          { name: '__name__', value: 'vigil_oracle_many' },
          { name: 'i', value: String(i).padStart(5, '0') },
          // Hard to compress, so that even compressed the record spans pages.
          { name: 'id', value: createHash('sha256').update(String(i)).digest('hex') },
        ],
      });
    }
    const first = await Wal.open({
      dir: walDir,
      logger: recordingLogger(),
      compression: 'snappy',
      segmentSizeBytes: 4 * PAGE,
    });
    first.log([
      enc.series([
        {
          ref: 1,
          labels: [
            { name: '__name__', value: 'vigil_oracle_value' },
            { name: 'case', value: 'plain' },
          ],
        },
        {
          ref: 2,
          labels: [
            { name: '__name__', value: 'vigil_oracle_value' },
            { name: 'case', value: 'stale' },
          ],
        },
      ]),
      enc.series(manySeries),
    ]);
    const head = new SampleBatch();
    for (let i = 0; i < 5; i++) head.append(1, base + i * step, plainValues[i] as number);
    for (let i = 0; i < 5; i++) head.append(2, base + i * step, i);
    const manySamples = new SampleBatch();
    for (let i = 0; i < many; i++) manySamples.append(10 + i, base, i);
    first.log([enc.samples(head), enc.samples(manySamples)]);
    first.nextSegment();
    await first.close();

    // A second writer, uncompressed, continues in a new segment.
    const second = await Wal.open({ dir: walDir, logger: recordingLogger(), compression: 'none' });
    const tail = new SampleBatch();
    for (let i = 5; i < plainValues.length; i++) tail.append(1, base + i * step, plainValues[i] as number);
    tail.append(2, base + 5 * step, 5);
    tail.appendBits(2, base + 6 * step, 0x7ff00000, 0x00000002);
    second.log([enc.samples(tail)]);
    await second.close();
    const types = new Set(listSegments(walDir).flatMap((seg) => fragmentTypes(readFileSync(seg.path))));
    assert.deepEqual([...types].sort(), [1, 1 | SNAPPY_FLAG, 2 | SNAPPY_FLAG, 3 | SNAPPY_FLAG, 4 | SNAPPY_FLAG].sort());

    const prom = await startPrometheus(data, 'global:\n  scrape_interval: 1m\n', await freePort());
    const plain = await query<MatrixSeries>(prom, 'vigil_oracle_value{case="plain"}[1h]', Date.now() / 1000);
    assert.equal(plain.length, 1);
    assert.deepEqual(
      plain[0]?.values.map(([t, v]) => [Math.round(t * 1000), Number(v)]),
      plainValues.map((v, i) => [base + i * step, v]),
    );

    const staleAt = base + 6 * step;
    const before = await query<VectorSample>(prom, 'vigil_oracle_value', (staleAt - 1) / 1000);
    assert.deepEqual(before.map((s) => [s.metric.case, Number(s.value[1])]).sort(), [
      ['plain', plainValues[5]],
      ['stale', 5],
    ]);
    const afterStale = await query<VectorSample>(prom, 'vigil_oracle_value', (staleAt + 10_000) / 1000);
    assert.deepEqual(
      afterStale.map((s) => s.metric.case),
      ['plain'],
      'the staleness marker ends the stale series; a plain NaN would have been returned as a value',
    );

    const counted = await query<VectorSample>(prom, 'count(vigil_oracle_many)', (base + 1000) / 1000);
    assert.equal(counted[0]?.value[1], String(many));
    const summed = await query<VectorSample>(prom, 'sum(vigil_oracle_many)', (base + 1000) / 1000);
    assert.equal(summed[0]?.value[1], String((many * (many - 1)) / 2));

    assert.doesNotMatch(prom.log(), /corrupt|repair|WAL read error/i, 'Prometheus replayed the WAL cleanly');
    assert.match(prom.log(), /WAL replay completed/);
    await kill(prom);
  });
});
