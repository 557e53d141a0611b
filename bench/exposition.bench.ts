// Exposition parsing throughput, samples per second on one core, for text 0.0.4 and OpenMetrics:
// - a generated body of 100k series with exporter-like labels (HELP and TYPE per family of 100 series);
// - the hand-written node_exporter body (src/exposition/testdata/node-exporter.prom) repeated to ~100k samples.
// Loops: `parse` = next() + value() + timestamp (the parser alone); `scrape` = that plus seriesKey() looked up in a
// Map of series refs, as a scrape cache does (warm: every key is known); `labels` = next() + labels() for every
// sample (what a cache miss costs, for every sample).
// Run with `npm run bench -- exposition [rounds]`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  createParser,
  Entry,
  type ExpositionFormat,
  type ExpositionParser,
  type MetricFamily,
  readFamilies,
  writeOpenMetrics,
  writeText,
} from '../src/exposition/index.ts';
import { Labels } from '../src/model/index.ts';
import { rng } from '../src/model/testing.ts';
import { writeResults } from './results.ts';

const ROUNDS = Number(process.argv[2] ?? 3);

/** 1000 families of 100 series: counters and gauges with 3–5 labels, values like real exporters print. */
function generatedFamilies(): MetricFamily[] {
  const r = rng(3);
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  const families: MetricFamily[] = [];
  for (let f = 0; f < 1000; f++) {
    const counter = f % 2 === 0;
    const name = `app_subsystem${f % 37}_operation_${f}${counter ? '' : '_bytes'}`;
    const samples = [];
    for (let s = 0; s < 100; s++) {
      const labels = Labels.fromObject({
        instance: `10.0.${f % 250}.${s % 250}:9100`,
        job: 'node',
        method: methods[s % 4] as string,
        path: `/api/v1/resource/${s}`,
        ...(s % 3 === 0 ? { status: String(200 + (s % 5) * 100) } : {}),
      });
      const value = counter ? Math.floor(r() * 1e7) : Math.round(r() * 1e9) / 1000;
      samples.push({ name: counter ? `${name}_total` : name, labels, value });
    }
    families.push({ name, type: counter ? 'counter' : 'gauge', help: `Operation ${f} of the app.`, samples });
  }
  return families;
}

function textBody(families: MetricFamily[]): Buffer {
  const forText = families.map((f) => (f.type === 'counter' ? { ...f, name: `${f.name}_total` } : f));
  const r = writeText(forText);
  if (!r.ok) throw r.error;
  return Buffer.from(r.body);
}

function omBody(families: MetricFamily[]): Buffer {
  const r = writeOpenMetrics(families);
  if (!r.ok) throw r.error;
  return Buffer.from(r.body);
}

const nodeText = readFileSync(new URL('../src/exposition/testdata/node-exporter.prom', import.meta.url));
const nodeFamilies = readFamilies(nodeText, 'text-0.0.4').families.map((f) =>
  f.type === 'counter' && f.name.endsWith('_total') ? { ...f, name: f.name.slice(0, -'_total'.length) } : f,
);
const nodeOm = omBody(nodeFamilies).toString();
const repeat = 720;
const bodies: { name: string; format: ExpositionFormat; body: Buffer }[] = [
  { name: 'generated-100k/text', format: 'text-0.0.4', body: textBody(generatedFamilies()) },
  { name: 'generated-100k/openmetrics', format: 'openmetrics-1.0.0', body: omBody(generatedFamilies()) },
  {
    name: `node-exporter-x${repeat}/text`,
    format: 'text-0.0.4',
    body: Buffer.from(nodeText.toString().repeat(repeat)),
  },
  {
    name: `node-exporter-x${repeat}/openmetrics`,
    format: 'openmetrics-1.0.0',
    body: Buffer.from(`${nodeOm.slice(0, -'# EOF\n'.length).repeat(repeat)}# EOF\n`),
  },
];

let sink = 0;

function parseLoop(p: ExpositionParser): number {
  let n = 0;
  let sum = 0;
  for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
    if (e === Entry.Sample) {
      sum += p.value() + (p.hasTimestamp() ? p.timestampMs() : 0);
      n++;
    } else if (e === Entry.Invalid) throw p.err();
  }
  sink += sum;
  return n;
}

function scrapeLoop(p: ExpositionParser, cache: Map<string, number>): number {
  let n = 0;
  let sum = 0;
  for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
    if (e === Entry.Sample) {
      let ref = cache.get(p.seriesKey());
      if (ref === undefined) {
        ref = cache.size + 1;
        cache.set(p.seriesKey(), ref);
      }
      sum += ref + p.value() + (p.hasTimestamp() ? p.timestampMs() : 0);
      n++;
    } else if (e === Entry.Invalid) throw p.err();
  }
  sink += sum;
  return n;
}

function labelsLoop(p: ExpositionParser): number {
  let n = 0;
  for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
    if (e === Entry.Sample) {
      sink += p.labels().size + p.value();
      n++;
    } else if (e === Entry.Invalid) throw p.err();
  }
  return n;
}

function timeRounds(fn: () => number): { ms: number; samples: number } {
  let samples = fn(); // warm up
  samples = fn();
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    const start = performance.now();
    samples = fn();
    out.push(performance.now() - start);
  }
  out.sort((a, b) => a - b);
  return { ms: out[Math.floor(out.length / 2)] as number, samples };
}

const figures: Record<string, unknown> = { rounds: ROUNDS };
for (const b of bodies) {
  const p = createParser(b.body, b.format);
  const cache = new Map<string, number>();
  const run = (loop: (p: ExpositionParser) => number) => () => {
    p.reset(b.body);
    return loop(p);
  };
  const parse = timeRounds(run(parseLoop));
  const scrape = timeRounds(run((q) => scrapeLoop(q, cache)));
  const labels = timeRounds(run(labelsLoop));
  const rate = (t: { ms: number; samples: number }) => Math.round(t.samples / (t.ms / 1000));
  figures[b.name] = {
    samples: parse.samples,
    bytes: b.body.length,
    parseSamplesPerSec: rate(parse),
    scrapeSamplesPerSec: rate(scrape),
    labelsSamplesPerSec: rate(labels),
    parseMsMedian: Number(parse.ms.toFixed(1)),
    scrapeMsMedian: Number(scrape.ms.toFixed(1)),
    labelsMsMedian: Number(labels.ms.toFixed(1)),
  };
}
figures.note =
  'parse = next()+value()+timestamp; scrape = parse + seriesKey() looked up in a warm Map<string, ref>; labels = next()+labels() per sample; medians of rounds, one core';
figures.sink = sink === 0 ? 0 : 1;
writeResults('exposition', figures);
