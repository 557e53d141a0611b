// The oracle: Prometheus itself. Builds blocks from an OpenMetrics file with `promtool tsdb create-blocks-from
// openmetrics`, then checks that every chunk Prometheus wrote decodes to the input samples and that our appender
// re-encodes those samples to the very same bytes. Skipped (with the reason) when promtool is not installed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { rng } from '../../model/testing.ts';
import { Encoding, XorAppender, XorIterator } from './index.ts';

const run = promisify(execFile);

function findPromtool(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'promtool'))) return join(dir, 'promtool');
  }
  return existsSync('/usr/bin/promtool') ? '/usr/bin/promtool' : undefined;
}

// ---- A minimal reader of block chunk segments (docs: Prometheus tsdb/docs/format/chunks.md). ----

const SEGMENT_MAGIC = 0x85bd40dd;
const SEGMENT_HEADER_BYTES = 8; // magic (4), version (1), padding (3)

const castagnoli = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32c(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = (castagnoli[(c ^ x) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface SegmentChunk {
  offset: number;
  encoding: number;
  data: Uint8Array;
}

/** Every chunk of a segment file, checking the header and each chunk's CRC32C over encoding and data. */
function readSegment(buf: Buffer, name: string): SegmentChunk[] {
  assert.equal(buf.readUInt32BE(0), SEGMENT_MAGIC, `${name}: magic`);
  assert.equal(buf[4], 1, `${name}: version`);
  const out: SegmentChunk[] = [];
  let off = SEGMENT_HEADER_BYTES;
  while (off < buf.length) {
    const start = off;
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[off++] as number;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    const encAndData = buf.subarray(off, off + 1 + len);
    assert.equal(encAndData.length, 1 + len, `${name}@${start}: chunk runs past the end`);
    const crc = buf.readUInt32BE(off + 1 + len);
    assert.equal(crc32c(encAndData), crc, `${name}@${start}: CRC32C`);
    out.push({ offset: start, encoding: encAndData[0] as number, data: encAndData.subarray(1) });
    off += 1 + len + 4;
  }
  return out;
}

// ---- Input series. ----

interface Sample {
  t: number;
  hi: number;
  lo: number;
  text: string;
}

const view = new DataView(new ArrayBuffer(8));
function sample(t: number, v: number): Sample {
  view.setFloat64(0, v);
  const text = Object.is(v, -0) ? '-0' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
  return { t, hi: view.getUint32(0), lo: view.getUint32(4), text };
}
/** OpenMetrics `NaN`: Go's strconv.ParseFloat returns math.NaN(), 0x7ff8000000000001. */
const goNaN = (t: number): Sample => ({ t, hi: 0x7ff80000, lo: 1, text: 'NaN' });

const secondsText = (t: number) => `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`;

/** Timestamps from `start`, each `step(r)` ms after the last, nudged so seconds × 1000 is exactly the ms. */
function times(n: number, start: number, r: () => number, step: (r: () => number) => number): number[] {
  const out: number[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    while (Number(secondsText(t)) * 1000 !== t) t++;
    out.push(t);
    t += step(r);
  }
  return out;
}

interface Series {
  family: string;
  type: 'counter' | 'gauge';
  metric: string;
  samples: Sample[];
}

function inputSeries(): Series[] {
  const r = rng(42);
  const start = 1_700_006_400_000; // a 2h block boundary; ~3h of data spans two blocks
  const jitter = (r: () => number) => 15_000 + Math.floor(r() * 101) - 50;
  const series: Series[] = [];
  let count = 0;
  series.push({
    family: 'http_requests',
    type: 'counter',
    metric: 'http_requests_total{code="200",job="api"}',
    samples: times(720, start + 3, r, jitter).map((t) => {
      count = r() < 0.01 ? 0 : count + Math.floor(r() * 20);
      return sample(t, count);
    }),
  });
  let cpu = 1000 * r();
  series.push({
    family: 'process_cpu_seconds',
    type: 'counter',
    metric: 'process_cpu_seconds_total{job="api"}',
    samples: times(720, start + 5, r, jitter).map((t) => {
      cpu += r() * 0.5;
      return sample(t, cpu);
    }),
  });
  series.push({
    family: 'temperature_celsius',
    type: 'gauge',
    metric: 'temperature_celsius{room="a"}',
    samples: times(720, start + 7, r, jitter).map((t) => sample(t, (r() - 0.5) * 80)),
  });
  series.push({
    family: 'queue_length',
    type: 'gauge',
    metric: 'queue_length{queue="mail"}',
    samples: times(
      600,
      start + 11,
      r,
      (r) => [1, 500, 15_000, 16_000, 60_000, 600_000, 1_000_000][Math.floor(r() * 7)] as number,
    ).map((t) => sample(t, Math.floor(r() * 5))),
  });
  series.push({
    family: 'constant_value',
    type: 'gauge',
    metric: 'constant_value',
    samples: times(500, start + 13, r, () => 15_000).map((t) => sample(t, 1)),
  });
  const specials = [
    1,
    -1.0000000000000002,
    1,
    1.0000000000000002,
    2,
    3,
    -3,
    Infinity,
    -Infinity,
    -0,
    0,
    1.7976931348623157e308,
    5e-324,
    0.1,
  ];
  series.push({
    family: 'odd_values',
    type: 'gauge',
    metric: 'odd_values{kind="special"}',
    samples: times(300, start + 17, r, jitter).map((t, i) =>
      i % 37 === 36 ? goNaN(t) : sample(t, specials[i % specials.length] as number),
    ),
  });
  // One- and two-sample chunks: the first ends in the empty byte Prometheus' bit stream leaves after whole bytes.
  series.push({ family: 'single_sample', type: 'gauge', metric: 'single_sample', samples: [sample(start + 19, 3.5)] });
  series.push({
    family: 'two_samples',
    type: 'gauge',
    metric: 'two_samples',
    samples: [sample(start + 23, -7), sample(start + 15_023, 1e-9)],
  });
  return series;
}

function openMetrics(series: readonly Series[]): string {
  const lines: string[] = [];
  for (const s of series) {
    lines.push(`# TYPE ${s.family} ${s.type}`);
    for (const x of s.samples) lines.push(`${s.metric} ${x.text} ${secondsText(x.t)}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

// ---- The test. ----

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

describe('XOR chunks against Prometheus (promtool tsdb create-blocks-from openmetrics)', () => {
  const promtool = findPromtool();
  let dir: string | undefined;
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('decodes every chunk Prometheus wrote and re-encodes it to identical bytes', { timeout: 120_000 }, async (t) => {
    if (promtool === undefined) {
      t.skip('promtool not found on PATH or at /usr/bin/promtool: install Debian package prometheus to run the oracle');
      return;
    }
    dir = await mkdtemp(join(tmpdir(), 'vigil-chunkenc-oracle-'));
    const series = inputSeries();
    const input = join(dir, 'input.om');
    await writeFile(input, openMetrics(series));
    const out = join(dir, 'blocks');
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, out], { timeout: 60_000 });

    const chunks: SegmentChunk[] = [];
    for (const block of await readdir(out)) {
      const chunkDir = join(out, block, 'chunks');
      if (!existsSync(chunkDir)) continue;
      for (const seg of (await readdir(chunkDir)).sort()) {
        chunks.push(...readSegment(await readFile(join(chunkDir, seg)), `${block}/chunks/${seg}`));
      }
    }
    assert.ok(chunks.length > 0, 'promtool wrote no chunks');

    // Where each input sample starts a possible run: "t|hi|lo" → [series, index].
    const starts = new Map<string, [number, number][]>();
    for (const [si, s] of series.entries()) {
      for (const [i, x] of s.samples.entries()) {
        const key = `${x.t}|${x.hi}|${x.lo}`;
        starts.set(key, [...(starts.get(key) ?? []), [si, i]]);
      }
    }
    const covered = series.map((s) => new Uint8Array(s.samples.length));
    const it = new XorIterator();
    let samplesSeen = 0;
    for (const c of chunks) {
      const where = `chunk at ${c.offset}`;
      assert.equal(c.encoding, Encoding.XOR, `${where}: encoding`);
      it.reset(c.data);
      const got: { t: number; hi: number; lo: number }[] = [];
      while (it.next()) got.push({ t: it.atT(), hi: it.atBitsHi(), lo: it.atBitsLo() });
      assert.equal(it.err(), null, `${where}: ${it.err()}`);
      // Prometheus 2.42 aims at 120 samples a chunk but spreads a block's samples evenly, so some hold a few more.
      assert.ok(got.length >= 1, `${where}: empty chunk`);
      samplesSeen += got.length;

      const first = got[0] as { t: number; hi: number; lo: number };
      const match = (starts.get(`${first.t}|${first.hi}|${first.lo}`) ?? []).find(([si, i]) => {
        const want = (series[si] as Series).samples;
        return got.every((g, k) => {
          const w = want[i + k];
          return w !== undefined && w.t === g.t && w.hi === g.hi && w.lo === g.lo && covered[si]?.[i + k] === 0;
        });
      });
      assert.ok(match !== undefined, `${where}: samples are no run of any input series`);
      const [si, i] = match;
      (covered[si] as Uint8Array).fill(1, i, i + got.length);

      const app = new XorAppender();
      for (const g of got) app.appendBits(g.t, g.hi, g.lo);
      const want = hex(c.data);
      assert.equal(hex(app.bytes()), want, `${where}: re-encoded bytes`);
      assert.equal(hex(XorAppender.open(c.data).bytes()), want, `${where}: reopened bytes`);
    }
    const total = series.reduce((n, s) => n + s.samples.length, 0);
    assert.equal(samplesSeen, total, 'every input sample is in exactly one chunk');
    for (const [si, cov] of covered.entries())
      assert.ok(
        cov.every((x) => x === 1),
        `series ${si} fully covered`,
      );
    t.diagnostic(`${chunks.length} chunks, ${total} samples: all decoded and re-encoded byte-identical`);
  });
});
