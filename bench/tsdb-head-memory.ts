// Head memory of vigil, measured in a fresh process (run by tsdb.bench.ts with --expose-gc):
// `node --import tsx --expose-gc bench/tsdb-head-memory.ts SERIES SAMPLES`.
// Opens an empty TSDB (WAL on) and builds the workload, then takes the baseline. The first scrape's labels come
// from parsing the workload's text exposition (fresh strings per series, as a scrape's cache misses make them);
// later scrapes reuse those labels and the series refs, as a scrape cache does. Prints one JSON line: memory
// after garbage collection at the baseline, after the first scrape and after SAMPLES scrapes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { createParser, Entry } from '../src/exposition/index.ts';
import { createLogger } from '../src/log/index.ts';
import type { Labels } from '../src/model/index.ts';
import { Tsdb } from '../src/tsdb/index.ts';
import { Workload } from './tsdb-workload.ts';

const SERIES = Number(process.argv[2] ?? 10_000);
const SAMPLES = Number(process.argv[3] ?? 240);

const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  /** Bytes V8 reserves for its young generation: grows with the allocation rate, not with live data. */
  newSpace: number;
}

async function memory(): Promise<Memory> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, newSpace };
}

/** The label sets of a text body, in order, as a scrape would parse them. */
function parseLabels(body: string): Labels[] {
  const p = createParser(Buffer.from(body), 'text-0.0.4');
  const out: Labels[] = [];
  for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
    if (e === Entry.Invalid) throw p.err();
    if (e === Entry.Sample) out.push(p.labels());
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-head-'));
try {
  const db = await Tsdb.open({ dir, logger: createLogger({ level: 'warn' }) });
  const wl = new Workload(SERIES);
  const refs = new Array<number>(wl.size).fill(0);
  const baseline = await memory();

  wl.step();
  const labels = parseLabels(wl.exposition());
  if (labels.length !== wl.size) throw new Error(`parsed ${labels.length} series of ${wl.size}`);
  const scrape = async (round: number) => {
    const app = db.appender();
    const t = wl.timestampMs(round);
    for (let i = 0; i < wl.size; i++) refs[i] = app.append(labels[i] as Labels, t, wl.values[i] as number, refs[i]);
    await app.commit();
  };
  await scrape(0);
  const afterFirst = await memory();
  for (let round = 1; round < SAMPLES; round++) {
    wl.step();
    await scrape(round);
  }
  const after = await memory();
  const head = db.head;
  const result = {
    series: head.numSeries,
    samplesPerSeries: SAMPLES,
    chunksCreated: head.stats.chunksCreated,
    baseline,
    afterFirst,
    after,
  };
  await db.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
