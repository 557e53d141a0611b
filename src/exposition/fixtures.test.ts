// One runner for the fixtures in testdata/ (see testdata/README.md).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { floatBits } from '../model/index.ts';
import { ExpositionParseError } from './errors.ts';
import { formatGoFloat } from './format-float.ts';
import { createParser } from './parser.ts';
import { normalNaN } from './parser-base.ts';
import { readFamilies } from './read-families.ts';
import { Entry, type ExpositionFormat, type ExpositionParser, type ParserOptions } from './types.ts';

const dir = new URL('./testdata/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir));
const formats: Record<string, ExpositionFormat> = { text: 'text-0.0.4', openmetrics: 'openmetrics-1.0.0' };
const promtool = spawnSync('promtool', ['--version']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'vigil-exposition-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Whether `got` has the 64 bits `want` reads as (NaN meaning Prometheus' normal NaN). */
function sameValue(got: number, want: string): boolean {
  const w = want === 'NaN' ? normalNaN : Number(want);
  return floatBits(got).join() === floatBits(w).join();
}

interface MalformedCase {
  name: string;
  format: string;
  input: string;
  error: string;
  inputEncoding?: 'latin1';
  options?: ParserOptions;
  promtool?: boolean;
}

const malformed = JSON.parse(read('malformed.json').toString('utf8')) as MalformedCase[];
const body = (c: MalformedCase) => Buffer.from(c.input, c.inputEncoding ?? 'utf8');

function runToEnd(p: ExpositionParser): Entry {
  for (let i = 0; i < 1000; i++) {
    const e = p.next();
    if (e === Entry.Eof || e === Entry.Invalid) return e;
  }
  throw new Error('parser did not end');
}

describe('malformed bodies', () => {
  for (const c of malformed) {
    test(`${c.format}: ${c.name}`, () => {
      const p = createParser(body(c), formats[c.format] as ExpositionFormat, c.options);
      assert.equal(runToEnd(p), Entry.Invalid);
      const err = p.err();
      assert.ok(err instanceof ExpositionParseError);
      assert.equal(err.code, 'EXPOSITION_PARSE');
      assert.equal(err.message, c.error);
      assert.equal(p.next(), Entry.Invalid, 'the error is sticky');
    });
  }
});

describe('malformed bodies are refused by promtool too', { skip: !promtool && 'promtool not installed' }, () => {
  for (const c of malformed.filter((c) => c.promtool !== false)) {
    test(`${c.format}: ${c.name}`, () => {
      if (c.format === 'text') {
        const r = spawnSync('promtool', ['check', 'metrics'], { input: body(c), encoding: 'utf8' });
        assert.equal(r.status, 1, `promtool check metrics accepted it: ${r.stdout}${r.stderr}`);
      } else {
        const file = join(work, 'case.om');
        writeFileSync(file, body(c));
        const out = join(work, `blocks-${Math.random().toString(36).slice(2)}`);
        const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, out], { encoding: 'utf8' });
        assert.notEqual(r.status, 0, `promtool ingested it: ${r.stdout}`);
      }
    });
  }
});

interface SampleEntry {
  kind: 'sample';
  series: string;
  labels: string;
  value: string;
  timestampMs?: number;
  type?: string;
  exemplar?: { labels: string; value: string; timestampMs?: number };
}
type ExpectedEntry =
  | SampleEntry
  | { kind: 'help'; name: string; text: string }
  | { kind: 'type'; name: string; type: string }
  | { kind: 'unit'; name: string; unit: string }
  | { kind: 'comment'; text: string };

interface EntriesCase {
  name: string;
  format: string;
  input: string;
  options?: ParserOptions;
  entries: ExpectedEntry[];
}

function actualEntry(p: ExpositionParser, e: Entry, want: ExpectedEntry | undefined): unknown {
  switch (e) {
    case Entry.Help:
      return { kind: 'help', name: p.metricName(), text: p.help() };
    case Entry.Type:
      return { kind: 'type', name: p.metricName(), type: p.type() };
    case Entry.Unit:
      return { kind: 'unit', name: p.metricName(), unit: p.unit() };
    case Entry.Comment:
      return { kind: 'comment', text: p.comment() };
    default: {
      const w = want?.kind === 'sample' ? want : undefined;
      const got: Record<string, unknown> = {
        kind: 'sample',
        series: p.seriesKey(),
        labels: p.labels().toString(),
        value: w !== undefined && sameValue(p.value(), w.value) ? w.value : formatGoFloat(p.value()),
      };
      if (p.hasTimestamp()) got.timestampMs = p.timestampMs();
      if (w?.type !== undefined) got.type = p.metricType();
      const ex = p.exemplar();
      if (ex !== null) {
        const wv = w?.exemplar?.value;
        got.exemplar = {
          labels: ex.labels.toString(),
          value: wv !== undefined && sameValue(ex.value, wv) ? wv : formatGoFloat(ex.value),
          ...(ex.timestampMs !== undefined ? { timestampMs: ex.timestampMs } : {}),
        };
      }
      return got;
    }
  }
}

describe('entries', () => {
  const cases = JSON.parse(read('entries.json').toString('utf8')) as EntriesCase[];
  for (const c of cases) {
    test(`${c.format}: ${c.name}`, () => {
      const p = createParser(Buffer.from(c.input), formats[c.format] as ExpositionFormat, c.options);
      const got: unknown[] = [];
      for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
        assert.notEqual(e, Entry.Invalid, p.err()?.message);
        got.push(actualEntry(p, e, c.entries[got.length]));
      }
      assert.deepEqual(got, c.entries);
    });
  }
});

interface BodyExpectation {
  format: string;
  samples: number;
  families: number;
  metadata?: { name: string; type: string; help?: string; unit?: string; samples: number }[];
  checks: { series: string; labels: string; value: string; timestampMs?: number; type?: string }[];
}

/** Prometheus' view of an OpenMetrics body: `promtool tsdb dump` lines of what create-blocks-from stored. */
function promtoolDump(file: string): string[] {
  const out = join(work, `blocks-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  mkdirSync(join(out, 'wal'), { recursive: true });
  const d = spawnSync('promtool', ['tsdb', 'dump', out], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(d.status, 0, d.stderr);
  return d.stdout.split('\n').filter((l) => l !== '');
}

describe('bodies', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.prom') || f.endsWith('.om.txt'));
  assert.ok(files.length >= 2);
  for (const file of files) {
    const stem = file.replace(/\.(prom|om\.txt)$/, '');
    const want = JSON.parse(read(`${stem}.expect.json`).toString('utf8')) as BodyExpectation;
    const format = formats[want.format] as ExpositionFormat;
    const data = read(file);

    test(`${file}: families and spot checks`, () => {
      const r = readFamilies(data, format);
      assert.equal(r.error, null, r.error?.message);
      assert.equal(r.families.length, want.families);
      assert.equal(
        r.families.reduce((n, f) => n + f.samples.length, 0),
        want.samples,
      );
      for (const m of want.metadata ?? []) {
        const f = r.families.find((f) => f.name === m.name);
        assert.ok(f, m.name);
        assert.deepEqual(
          { name: f.name, type: f.type, help: f.help, unit: f.unit, samples: f.samples.length },
          { help: undefined, unit: undefined, ...m },
        );
      }
      const p = createParser(data, format);
      const seen = new Map<string, SampleEntry>();
      for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
        assert.notEqual(e, Entry.Invalid, p.err()?.message);
        if (e !== Entry.Sample) continue;
        const key = p.seriesKey();
        const check = want.checks.find((c) => c.series === key);
        if (check !== undefined) seen.set(key, actualEntry(p, e, { kind: 'sample', ...check }) as SampleEntry);
      }
      for (const c of want.checks) assert.deepEqual(seen.get(c.series), { kind: 'sample', ...c });
    });

    if (format === 'openmetrics-1.0.0') {
      test(`${file}: what Prometheus' parser stores equals what ours reads`, {
        skip: !promtool && 'no promtool',
      }, () => {
        const ours: string[] = [];
        const p = createParser(data, format);
        for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
          assert.notEqual(e, Entry.Invalid, p.err()?.message);
          if (e === Entry.Sample) ours.push(`${p.labels().toString()} ${formatGoFloat(p.value())} ${p.timestampMs()}`);
        }
        assert.deepEqual(promtoolDump(join(dir.pathname, file)).sort(), ours.sort());
      });
    }
  }
});
