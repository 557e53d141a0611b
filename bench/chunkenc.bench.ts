// XOR chunk encode and decode throughput: 10k chunks of 120 samples, scraped every 15 s with a few ms of jitter,
// a quarter each integer counters, float counters (CPU seconds), float gauges (a random walk) and small integer
// gauges (queue lengths, often unchanged). Decoding reuses one iterator, cursor style.
// Run with `npm run bench -- chunkenc [chunks] [rounds]`.
import { performance } from 'node:perf_hooks';
import { rng } from '../src/model/testing.ts';
import { XorAppender, XorIterator } from '../src/tsdb/chunkenc/index.ts';
import { writeResults } from './results.ts';

const CHUNKS = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PER_CHUNK = 120;
const N = CHUNKS * PER_CHUNK;

const kinds = ['counter', 'float-counter', 'gauge', 'int-gauge'] as const;
const ts = new Float64Array(N);
const vs = new Float64Array(N);
{
  const r = rng(1);
  for (let c = 0; c < CHUNKS; c++) {
    const kind = kinds[c % kinds.length];
    let t = 1_700_000_000_000 + Math.floor(r() * 15_000);
    let v = kind === 'gauge' ? r() * 100 : kind === 'int-gauge' ? Math.floor(r() * 10) : Math.floor(r() * 1e6);
    for (let i = 0; i < PER_CHUNK; i++) {
      ts[c * PER_CHUNK + i] = t;
      vs[c * PER_CHUNK + i] = v;
      t += 15_000 + Math.floor(r() * 11) - 5;
      if (kind === 'counter') v += Math.floor(r() * 50);
      else if (kind === 'float-counter') v += r() * 0.25;
      else if (kind === 'gauge') v = Math.max(0, v + (r() - 0.5) * 4);
      else if (r() < 0.2) v = Math.floor(r() * 10);
    }
  }
}

const chunks: Uint8Array[] = new Array(CHUNKS);

function encodeAll(): void {
  const app = new XorAppender(256);
  for (let c = 0; c < CHUNKS; c++) {
    app.reset();
    const base = c * PER_CHUNK;
    for (let i = 0; i < PER_CHUNK; i++) app.append(ts[base + i] as number, vs[base + i] as number);
    chunks[c] = app.bytes().slice();
  }
}

let sink = 0;
function decodeAll(): number {
  const it = new XorIterator();
  let n = 0;
  let sum = 0;
  for (let c = 0; c < CHUNKS; c++) {
    it.reset(chunks[c] as Uint8Array);
    while (it.next()) {
      sum += it.at() + it.atT();
      n++;
    }
  }
  sink += sum;
  return n;
}

function timeRounds(fn: () => unknown): number[] {
  fn(); // warm up
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] as number;

const encMs = timeRounds(encodeAll);
const decMs = timeRounds(() => {
  if (decodeAll() !== N) throw new Error('decoded a wrong number of samples');
});

// Check once that the decoded samples are the ones encoded.
{
  const it = new XorIterator();
  for (let c = 0; c < CHUNKS; c++) {
    it.reset(chunks[c] as Uint8Array);
    for (let i = 0; it.next(); i++) {
      const k = c * PER_CHUNK + i;
      if (it.atT() !== ts[k] || it.at() !== vs[k]) throw new Error(`chunk ${c} sample ${i} differs`);
    }
  }
}

const bytesByKind: Record<string, number> = {};
let totalBytes = 0;
chunks.forEach((b, c) => {
  const kind = kinds[c % kinds.length] as string;
  bytesByKind[kind] = (bytesByKind[kind] ?? 0) + b.length;
  totalBytes += b.length;
});
const samplesPerKind = N / kinds.length;

writeResults('chunkenc', {
  chunks: CHUNKS,
  samplesPerChunk: PER_CHUNK,
  rounds: ROUNDS,
  encodeMsMedian: Number(median(encMs).toFixed(1)),
  encodeSamplesPerSec: Math.round(N / (median(encMs) / 1000)),
  decodeMsMedian: Number(median(decMs).toFixed(1)),
  decodeSamplesPerSec: Math.round(N / (median(decMs) / 1000)),
  bytesPerSample: Number((totalBytes / N).toFixed(3)),
  bytesPerSampleByKind: Object.fromEntries(
    Object.entries(bytesByKind).map(([k, b]) => [k, Number((b / samplesPerKind).toFixed(3))]),
  ),
  note: 'encode includes reset() and one bytes().slice() per chunk; decode sums at() and atT() with one reused iterator',
  sink: sink === 0 ? 0 : 1,
});
