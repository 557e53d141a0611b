import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { floatBits, Labels } from '../model/index.ts';
import { rng } from '../model/testing.ts';
import { formatGoFloat } from './format-float.ts';
import { writeOpenMetrics } from './openmetrics-writer.ts';
import { createParser } from './parser.ts';
import { normalNaN } from './parser-base.ts';
import { type ReadFamily, readFamilies } from './read-families.ts';
import { writeText } from './text-writer.ts';
import { Entry, type ExpositionFormat, type MetricFamily, type MetricSample } from './types.ts';

const promtool = spawnSync('promtool', ['--version']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'vigil-exposition-writer-'));
after(() => rmSync(work, { recursive: true, force: true }));
const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

/** A family as comparable data: values as 64-bit patterns, NaN expected back as Prometheus' normal NaN. */
function comparable(families: readonly (MetricFamily | ReadFamily)[], unitToo: boolean) {
  const bits = (v: number) => floatBits(Number.isNaN(v) ? normalNaN : v).join(':');
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: unitToo ? f.unit || undefined : undefined,
    samples: f.samples.map((s: MetricSample) => ({
      name: s.name,
      labels: s.labels.toString(),
      value: bits(s.value),
      t: s.timestampMs,
      exemplar:
        s.exemplar === undefined
          ? undefined
          : { labels: s.exemplar.labels.toString(), value: bits(s.exemplar.value), t: s.exemplar.timestampMs },
    })),
  }));
}

function write(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const r = format === 'text-0.0.4' ? writeText(families) : writeOpenMetrics(families);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.body;
}

function roundTrip(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const body = write(families, format);
  const back = readFamilies(Buffer.from(body), format);
  assert.equal(back.error, null, back.error?.message);
  assert.deepEqual(comparable(back.families, format !== 'text-0.0.4'), comparable(families, format !== 'text-0.0.4'));
  return body;
}

/** `promtool tsdb dump` of what Prometheus' OpenMetrics parser stored from `body`, and our parse of it, sorted. */
function promtoolView(body: string): { prometheus: string[]; ours: string[] } {
  const file = join(work, `in-${Math.random().toString(36).slice(2)}.om`);
  const out = `${file}.blocks`;
  writeFileSync(file, body);
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  mkdirSync(join(out, 'wal'), { recursive: true });
  const d = spawnSync('promtool', ['tsdb', 'dump', out], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(d.status, 0, d.stderr);
  const ours: string[] = [];
  const p = createParser(Buffer.from(body), 'openmetrics-1.0.0');
  for (let e = p.next(); e !== Entry.Eof; e = p.next()) {
    assert.notEqual(e, Entry.Invalid, p.err()?.message);
    if (e === Entry.Sample) ours.push(`${p.labels().toString()} ${formatGoFloat(p.value())} ${p.timestampMs()}`);
  }
  return {
    prometheus: d.stdout
      .split('\n')
      .filter((l) => l !== '')
      .sort(),
    ours: ours.sort(),
  };
}

/** Random families: odd values, escapes and non-ASCII in label values and help, millisecond timestamps. */
function randomFamilies(seed: number, count: number, withTimestamps: boolean): MetricFamily[] {
  const r = rng(seed);
  const specials = [
    0,
    -0,
    1,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    5e-324,
    1.7976931348623157e308,
    0.1,
    1e21,
    1e-7,
    123456.7,
  ];
  const chars = ['a', 'Z', ' ', '"', '\\', '\n', 'é', '漢', '{', '}', ',', '=', '#', '0'];
  const text = (n: number) => Array.from({ length: n }, () => chars[Math.floor(r() * chars.length)]).join('');
  const value = () => {
    const k = r();
    if (k < 0.2) return specials[Math.floor(r() * specials.length)] as number;
    if (k < 0.5) return Math.floor(r() * 1e6);
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    u[0] = Math.floor(r() * 2 ** 32);
    u[1] = Math.floor(r() * 2 ** 32);
    const v = f[0] as number;
    return Number.isNaN(v) ? 1.5 : v;
  };
  const families: MetricFamily[] = [];
  for (let i = 0; i < count; i++) {
    const samples: MetricSample[] = [];
    for (let j = 0; j < 1 + Math.floor(r() * 4); j++) {
      samples.push({
        name: `random_${i}_total`,
        labels: Labels.fromObject({ idx: String(j), text: text(Math.floor(r() * 12)) || 'x' }),
        value: value(),
        timestampMs: withTimestamps ? 1_700_000_000_000 + Math.floor(r() * 3_600_000) : undefined,
        exemplar:
          r() < 0.3
            ? {
                labels: Labels.fromObject({ trace_id: text(6) || 'y' }),
                value: value(),
                timestampMs: withTimestamps ? 1_700_000_000_000 + Math.floor(r() * 1e7) : undefined,
              }
            : undefined,
      });
    }
    families.push({ name: `random_${i}`, type: 'counter', help: r() < 0.8 ? text(20) : undefined, samples });
  }
  return families;
}

/** The families for text 0.0.4: no exemplars, counter families named as their samples. */
function forText(families: MetricFamily[]): MetricFamily[] {
  return families.map((f) => ({
    ...f,
    name: `${f.name}_total`,
    samples: f.samples.map((s) => ({ ...s, exemplar: undefined })),
  }));
}

describe('round trips', () => {
  test('node-exporter.prom: read, write as text 0.0.4, read again', () => {
    const r = readFamilies(fixture('node-exporter.prom'), 'text-0.0.4');
    assert.equal(r.error, null);
    roundTrip(r.families, 'text-0.0.4');
  });

  test('app.om.txt: read, write as OpenMetrics, read again', () => {
    const r = readFamilies(fixture('app.om.txt'), 'openmetrics-1.0.0');
    assert.equal(r.error, null);
    roundTrip(r.families, 'openmetrics-1.0.0');
  });

  test('random families, both formats', () => {
    const families = randomFamilies(7, 300, true);
    roundTrip(families, 'openmetrics-1.0.0');
    roundTrip(forText(families), 'text-0.0.4');
    const noTs = randomFamilies(8, 100, false);
    roundTrip(noTs, 'openmetrics-1.0.0');
    roundTrip(forText(noTs), 'text-0.0.4');
  });
});

describe('promtool accepts what we write', { skip: !promtool && 'promtool not installed' }, () => {
  test('text 0.0.4: promtool check metrics parses node-exporter.prom as we write it', () => {
    const r = readFamilies(fixture('node-exporter.prom'), 'text-0.0.4');
    const body = write(r.families, 'text-0.0.4');
    const c = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    // 3: parsed, with lint findings (node_exporter's camelCase memory names); 1 would be a parse error.
    assert.equal(c.status, 3, c.stdout + c.stderr);
    assert.doesNotMatch(c.stdout + c.stderr, /pars/);
  });

  test('text 0.0.4: lint-clean families pass promtool check metrics with no finding', () => {
    const families: MetricFamily[] = [
      {
        name: 'jobs_processed_total',
        type: 'counter',
        help: 'Jobs processed.\nBy "queue" \\ kind.',
        samples: [
          {
            name: 'jobs_processed_total',
            labels: Labels.fromObject({ queue: 'mail "urgent"\\n', kind: 'é' }),
            value: 12,
            timestampMs: 1_700_000_000_123,
          },
        ],
      },
      {
        name: 'job_duration_seconds',
        type: 'histogram',
        help: 'Job latency.',
        samples: [
          { name: 'job_duration_seconds_bucket', labels: Labels.fromObject({ le: '0.1' }), value: 3 },
          { name: 'job_duration_seconds_bucket', labels: Labels.fromObject({ le: '+Inf' }), value: 4 },
          { name: 'job_duration_seconds_sum', labels: Labels.empty, value: 0.75 },
          { name: 'job_duration_seconds_count', labels: Labels.empty, value: 4 },
        ],
      },
      {
        name: 'queue_length',
        type: 'gauge',
        help: 'Jobs waiting.',
        samples: [{ name: 'queue_length', labels: Labels.empty, value: Number.NaN }],
      },
    ];
    const c = spawnSync('promtool', ['check', 'metrics'], { input: write(families, 'text-0.0.4'), encoding: 'utf8' });
    assert.equal(c.status, 0, c.stdout + c.stderr);
  });

  test('text 0.0.4: random families parse in promtool check metrics', () => {
    const body = write(forText(randomFamilies(11, 200, true)), 'text-0.0.4');
    const c = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    // 3: parsed, with lint findings (some random families have no help); 1 would be a parse error.
    assert.notEqual(c.status, 1, c.stdout + c.stderr);
    assert.doesNotMatch(c.stdout + c.stderr, /pars/);
  });

  test('OpenMetrics: Prometheus stores exactly what we wrote (app.om.txt rewritten)', () => {
    const r = readFamilies(fixture('app.om.txt'), 'openmetrics-1.0.0');
    const v = promtoolView(write(r.families, 'openmetrics-1.0.0'));
    assert.deepEqual(v.prometheus, v.ours);
  });

  test('OpenMetrics: random values, label escapes and millisecond timestamps survive Prometheus exactly', () => {
    const families = randomFamilies(12, 1500, true);
    const body = write(families, 'openmetrics-1.0.0');
    const v = promtoolView(body);
    assert.deepEqual(v.prometheus, v.ours);
    // And ours reads back what was written, bit for bit (the round trip above), so Prometheus does too.
    const expected = families.flatMap((f) =>
      f.samples.map(
        (s) =>
          `${Labels.fromObject({ ...s.labels.toObject(), __name__: s.name }).toString()} ${formatGoFloat(s.value)} ${s.timestampMs}`,
      ),
    );
    assert.deepEqual(v.prometheus, expected.sort());
  });
});

describe('what the writers refuse', () => {
  const l = Labels.empty;
  const cases: { name: string; format: ExpositionFormat; family: MetricFamily; error: string }[] = [
    {
      name: 'invalid family name',
      format: 'text-0.0.4',
      family: { name: '1up', type: 'gauge', samples: [] },
      error: 'writing family "1up": invalid metric name',
    },
    {
      name: 'invalid label name',
      format: 'openmetrics-1.0.0',
      family: {
        name: 'up',
        type: 'gauge',
        samples: [{ name: 'up', labels: Labels.fromObject({ 'a-b': 'x' }), value: 1 }],
      },
      error: 'writing family "up", sample 0: invalid label name "a-b"',
    },
    {
      name: '__name__ among the labels',
      format: 'text-0.0.4',
      family: {
        name: 'up',
        type: 'gauge',
        samples: [{ name: 'up', labels: Labels.fromObject({ __name__: 'x' }), value: 1 }],
      },
      error: 'writing family "up", sample 0: labels must not hold __name__ (the sample name carries it)',
    },
    {
      name: 'OpenMetrics counter sample without _total',
      format: 'openmetrics-1.0.0',
      family: { name: 'hits', type: 'counter', samples: [{ name: 'hits', labels: l, value: 1 }] },
      error: 'writing family "hits", sample 0: sample "hits" does not belong to a counter family named "hits"',
    },
    {
      name: 'histogram sample with a foreign suffix',
      format: 'text-0.0.4',
      family: { name: 'lat', type: 'histogram', samples: [{ name: 'lat_max', labels: l, value: 1 }] },
      error: 'writing family "lat", sample 0: sample "lat_max" does not belong to a histogram family named "lat"',
    },
    {
      name: 'exemplar on a gauge',
      format: 'openmetrics-1.0.0',
      family: {
        name: 'temp',
        type: 'gauge',
        samples: [{ name: 'temp', labels: l, value: 1, exemplar: { labels: l, value: 1 } }],
      },
      error: 'writing family "temp", sample 0: exemplars go on _total and _bucket samples only, not on "temp"',
    },
    {
      name: 'exemplar labels over 128 characters',
      format: 'openmetrics-1.0.0',
      family: {
        name: 'hits',
        type: 'counter',
        samples: [
          {
            name: 'hits_total',
            labels: l,
            value: 1,
            exemplar: { labels: Labels.fromObject({ trace_id: 'x'.repeat(121) }), value: 1 },
          },
        ],
      },
      error: 'writing family "hits", sample 0: exemplar labels have 129 characters, more than 128',
    },
    {
      name: 'unit not a suffix',
      format: 'openmetrics-1.0.0',
      family: { name: 'latency', type: 'gauge', unit: 'seconds', samples: [] },
      error: 'writing family "latency": unit "seconds" is not a suffix of the family name',
    },
    {
      name: 'negative timestamp in text 0.0.4',
      format: 'text-0.0.4',
      family: { name: 'up', type: 'gauge', samples: [{ name: 'up', labels: l, value: 1, timestampMs: -1 }] },
      error: 'writing family "up", sample 0: text format 0.0.4 cannot carry a negative timestamp',
    },
    {
      name: 'fractional timestamp',
      format: 'openmetrics-1.0.0',
      family: { name: 'up', type: 'gauge', samples: [{ name: 'up', labels: l, value: 1, timestampMs: 1.5 }] },
      error: 'writing family "up", sample 0: timestamp 1.5 is not an integer number of milliseconds',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = c.format === 'text-0.0.4' ? writeText([c.family]) : writeOpenMetrics([c.family]);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, 'EXPOSITION_WRITE');
        assert.equal(r.error.message, c.error);
      }
    });
  }
});

describe('layout', () => {
  const families: MetricFamily[] = [
    {
      name: 'req',
      type: 'counter',
      help: 'Requests "served"\\ok\nsecond line.',
      samples: [
        {
          name: 'req_total',
          labels: Labels.fromObject({ path: '/a"b\\c\nd' }),
          value: 1,
          timestampMs: 1520879607789,
          exemplar: { labels: Labels.fromObject({ id: 'x' }), value: 0.5, timestampMs: 1520879607788 },
        },
        { name: 'req_created', labels: Labels.fromObject({ path: '/a"b\\c\nd' }), value: 1520000000 },
      ],
    },
    {
      name: 'size_bytes',
      type: 'gauge',
      unit: 'bytes',
      samples: [{ name: 'size_bytes', labels: Labels.empty, value: 1e6 }],
    },
  ];
  const table: { format: ExpositionFormat; body: string }[] = [
    {
      format: 'openmetrics-1.0.0',
      body:
        '# HELP req Requests \\"served\\"\\\\ok\\nsecond line.\n# TYPE req counter\n' +
        'req_total{path="/a\\"b\\\\c\\nd"} 1.0 1.520879607789e+09 # {id="x"} 0.5 1.520879607788e+09\n' +
        'req_created{path="/a\\"b\\\\c\\nd"} 1.52e+09\n# TYPE size_bytes gauge\n# UNIT size_bytes bytes\nsize_bytes 1e+06\n# EOF\n',
    },
    {
      format: 'text-0.0.4',
      body:
        '# HELP req Requests "served"\\\\ok\\nsecond line.\n# TYPE req counter\n' +
        'req_total{path="/a\\"b\\\\c\\nd"} 1 1520879607789\nreq_created{path="/a\\"b\\\\c\\nd"} 1.52e+09\n' +
        '# TYPE size_bytes gauge\nsize_bytes 1e+06\n',
    },
  ];
  for (const c of table) test(c.format, () => assert.equal(write(families, c.format), c.body));
});
