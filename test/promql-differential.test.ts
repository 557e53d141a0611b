// PromQL, differentially: vigil and Debian's Prometheus 2.42 serve the same blocks (written once by `promtool tsdb
// create-blocks-from openmetrics`, copied into vigil's data directory as they are) and answer the same queries
// (some 640 expressions from templates and a hand list, each at two instant times and over two ranges) over their
// HTTP APIs; the JSON answers must agree. Values agree when their texts are equal or, for
// floating-point summation order, within 1e-9 relative; the summary says how many needed that.
//
// The data steer clear of what changed between 2.42 and current upstream (which vigil follows): every sample
// sits a few milliseconds off a whole second while every query time, range, offset and step is whole seconds,
// so no sample lands on a range's or the lookback's start (closed in 2.42, left-open since 3.0); every query time
// is 2 s past a multiple of 5 s and every subquery step a multiple of 5 s, so no subquery step lands on a
// subquery's start either. What cannot be steered clear of is in `knownDifferences`, and kept out by name.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { App } from '../src/app.ts';
import { formatOpenMetricsTimestamp } from '../src/exposition/index.ts';
import { createLogger } from '../src/log/index.ts';
import { rng } from '../src/model/testing.ts';
import { createApiToken } from '../src/server/index.ts';
import { request } from './support/http.ts';
import {
  type PrometheusServer,
  prometheusMissing,
  promtoolCreateBlocks,
  startPrometheus,
} from './support/prometheus.ts';

/** 2024-02-29T22:00:00Z, a 2 h boundary: the data run over midnight into March of a leap year. */
const T0 = 1_709_244_000;
const ROUNDS = 720;
const INTERVAL_S = 15;
/** Relative tolerance for values whose texts differ. */
const TOLERANCE = 1e-9;

const durationMs = (d: string) => {
  let ms = 0;
  for (const [, n, unit] of d.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms'];
  }
  return ms;
};
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Whether a subquery inside another has its range start on one of its own steps at every outer step: its
 * range is a multiple of gcd(its step, the outer step). The inner subquery comes first in the text. A missing
 * step is the default, 1m.
 */
function nestedSubqueryOnStep(expr: string): boolean {
  const subqueries = [...expr.matchAll(/\[(\w+):(\w*)\]/g)].map(([, range, step]) => ({
    rangeMs: durationMs(range as string),
    stepMs: step === '' ? 60_000 : durationMs(step as string),
  }));
  for (let i = 0; i + 1 < subqueries.length; i++) {
    const inner = subqueries[i] as { rangeMs: number; stepMs: number };
    const outer = subqueries[i + 1] as { rangeMs: number; stepMs: number };
    if (inner.rangeMs % gcd(inner.stepMs, outer.stepMs) === 0) return true;
  }
  return false;
}

/**
 * Where upstream (which vigil follows) answers differently from 2.42. A query whose text matches `pattern` is
 * not compared (the test lists each one it leaves out); entries without a pattern are kept out of reach by how
 * the data and query times are made, as `avoidedBy` says.
 */
export const knownDifferences: ReadonlyArray<{
  pattern: RegExp | ((expr: string) => boolean) | null;
  example: string;
  reason: string;
  avoidedBy?: string;
}> = [
  {
    pattern: /\bholt_winters\s*\(/,
    example: 'holt_winters(node_load1[10m], 0.5, 0.5)',
    reason: '3.0 renamed holt_winters to double_exponential_smoothing, behind promql-experimental-functions (#14930)',
  },
  {
    pattern:
      /\b(double_exponential_smoothing|mad_over_time|first_over_time|ts_of_(first|last|min|max)_over_time|sort_by_label(_desc)?|limitk|limit_ratio|info|histogram_quantiles|start_timestamp)\s*\(/,
    example: 'mad_over_time(node_load1[10m])',
    reason: 'functions added after 2.42 (2.51 to 3.x), experimental upstream: unknown to 2.42, off by default in vigil',
  },
  {
    pattern: /\bhistogram_(avg|stddev|stdvar)\s*\(/,
    example: 'histogram_avg(http_request_duration_seconds)',
    reason: 'native-histogram functions added after 2.42 (2.50 and later)',
  },
  {
    pattern: /\b(range|step|min_of|max_of)\s*\(|(?<!@\s*)\b(start|end)\s*\(/,
    example: 'rate(x[step() * 4])',
    reason: 'duration expressions and their functions (promql-duration-expr, 3.x); `@ start()` and `@ end()` are 2.42',
  },
  {
    pattern: /\b(anchored|smoothed)\b/,
    example: 'rate(x[5m] anchored)',
    reason: 'extended range selectors (promql-extended-range-selectors, 3.x)',
  },
  {
    pattern: /\{\s*"|\[\d+(\.\d+)?\]|offset\s+-?\d+(\.\d+)?(\s|\)|$)/,
    example: '{"http.requests"} or rate(x[300]) or x offset 60',
    reason: 'quoted UTF-8 names and numbers as durations are 3.0 syntax',
  },
  {
    pattern: /\b(label_replace|label_join|count_values)\s*\([^"]*"[^a-zA-Z_"]/,
    example: 'label_replace(up, "1bad", "x", "", "")',
    reason:
      'UTF-8 label names are valid since 3.0: 2.42 refuses a label name such as "1bad" (execution error), upstream uses it',
  },
  {
    pattern: /\batan2\b/,
    example: 'node_load1 atan2 1',
    reason: 'atan2 drops the metric name since 2.46 (#12595); 2.42 keeps it',
  },
  {
    pattern: /\b(topk|bottomk)\b.*\bsensor_value\b/,
    example: 'topk(1, sensor_value) when every sensor_value is NaN',
    reason:
      'topk/bottomk: in 2.42 a NaN at the heap root is displaced by any sample, NaN too (the last NaN wins); upstream only by a number (the first NaN stays)',
  },
  {
    pattern: nestedSubqueryOnStep,
    example: 'max_over_time(avg_over_time(node_load1[10m:1m])[30m:5m])',
    reason:
      "a nested subquery's inner range starts on one of its steps whenever the outer steps are aligned to it: that step counts in 2.42, not since 3.0 (left-open ranges)",
  },
  {
    pattern: null,
    example: 'count_over_time(x[1m]) with a sample exactly at t - 1m',
    reason: 'range selectors and the lookback are left-open since 3.0 (closed in 2.42)',
    avoidedBy:
      'every sample sits 2 to 41 ms past a whole second; query times, ranges, offsets and steps are whole seconds',
  },
  {
    pattern: null,
    example: 'max_over_time(x[1h:1m]) at a whole minute',
    reason: "a subquery's step on its range start counts in 2.42, not since 3.0",
    avoidedBy: 'query times are 2 s past a multiple of 5 s; subquery steps are multiples of 5 s',
  },
  {
    pattern: null,
    example: 'rate(x[5m]) over a counter that starts at 0 inside the window',
    reason:
      "rate/increase: since 2.51 (#13725) the counter's zero point also limits the half-interval extrapolation at a series' start; 2.42 only limits the full one",
    avoidedBy: 'counters start high, as when scraping begins on a running process (restarts happen mid-series)',
  },
  {
    pattern: /=~\s*"[^"]*\\n/,
    example: 'x{a=~"a.b"} with a newline in a label value',
    reason: "'.' matches a newline since 3.0 (#14505)",
    avoidedBy: 'no label value has a newline',
  },
  {
    pattern: null,
    example: 'rate(node_load1[5m]) (info: metric might not be a counter)',
    reason: 'annotations: 3.x answers `infos` and more `warnings` than 2.42',
    avoidedBy: 'warnings and infos are not compared',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The data: ~140 series, 3 h at 15 s, written as OpenMetrics.

interface Series {
  name: string;
  labels: Record<string, string>;
  /** The target the series is scraped from: its samples share the target's timestamps, restarts and gaps. */
  target: Target;
  next(r: () => number, round: number, restarted: boolean): number;
}

interface Target {
  key: string;
  /** First round and the round after the last. */
  from: number;
  to: number;
  /** Rounds missing (a scrape outage longer than the lookback). */
  gap?: readonly [number, number];
  /** Rounds at which the process restarted (counters drop to zero). */
  restarts?: readonly number[];
}

const targets: Record<string, Target> = {
  'api/a': { key: 'api/a', from: 0, to: ROUNDS },
  'api/b': { key: 'api/b', from: 0, to: ROUNDS, restarts: [200, 555] },
  'api/c': { key: 'api/c', from: 120, to: ROUNDS },
  'web/a': { key: 'web/a', from: 0, to: ROUNDS, restarts: [400], gap: [300, 340] },
  'web/b': { key: 'web/b', from: 0, to: 560 },
  'web/c': { key: 'web/c', from: 120, to: 650 },
  'node/n1': { key: 'node/n1', from: 0, to: ROUNDS },
  'node/n2': { key: 'node/n2', from: 0, to: ROUNDS, restarts: [300], gap: [400, 430] },
  'node/n3': { key: 'node/n3', from: 0, to: 600 },
  'sensors/s': { key: 'sensors/s', from: 0, to: ROUNDS },
};

/**
 * A counter from `start` (high, as a process' counters are when scraping begins: see knownDifferences on the
 * zero point), back to zero at a restart.
 */
function counter(start: number, incr: (r: () => number, round: number) => number): Series['next'] {
  let v = start;
  return (r, round, restarted) => {
    v = (restarted ? 0 : v) + incr(r, round);
    return v;
  };
}

function walk(start: number, step: number, digits: number, min = Number.NEGATIVE_INFINITY): Series['next'] {
  let v = start;
  return (r) => {
    v = Math.max(min, Math.round((v + (r() - 0.5) * 2 * step) * 10 ** digits) / 10 ** digits);
    return v;
  };
}

function dataset(): Series[] {
  const out: Series[] = [];
  const seed = rng(42);
  const add = (name: string, labels: Record<string, string>, next: Series['next']) => {
    const target = targets[`${labels.job}/${labels.instance ?? 's'}`];
    assert.ok(target !== undefined, `no target for ${name} ${JSON.stringify(labels)}`);
    out.push({ name, labels, target, next });
  };
  for (const job of ['api', 'web']) {
    for (const instance of ['a', 'b', 'c']) {
      for (const method of ['GET', 'POST']) {
        for (const [code, pace] of [
          ['200', 40],
          ['404', 4],
          ['500', 0.6],
        ] as const) {
          const scale = pace * (method === 'POST' ? 0.3 : 1) * (0.5 + seed());
          add(
            'http_requests_total',
            { job, instance, method, code },
            counter(Math.floor(seed() * 1e5 * scale), (r) => Math.floor(r() * 2 * scale)),
          );
        }
      }
      // A classic histogram: one draw of observations per round for the whole group, so the cumulative buckets
      // grow together and `+Inf` equals `_count`.
      const le = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
      const mean = 0.1 + seed() * 0.3;
      const cdf = le.map((b) => (b === '+Inf' ? 1 : 1 / (1 + (mean / Number(b)) ** 2.5)));
      const observed = Math.floor(1e4 + seed() * 1e5);
      const draw = { round: -1, n: 0, a: 1 };
      const observe = (r: () => number, round: number) => {
        if (draw.round !== round) Object.assign(draw, { round, n: Math.floor(r() * 30), a: 1 + (r() - 0.5) * 0.4 });
        return draw;
      };
      le.forEach((b, i) => {
        add(
          'http_request_duration_seconds_bucket',
          { job, instance, le: b },
          counter(Math.floor(observed * (cdf[i] as number)), (r, round) => {
            const d = observe(r, round);
            return Math.floor(d.n * (cdf[i] as number) ** d.a);
          }),
        );
      });
      add(
        'http_request_duration_seconds_sum',
        { job, instance },
        counter(
          Math.round(observed * mean * 1000) / 1000,
          (r, round) => Math.round(observe(r, round).n * mean * (0.8 + 0.4 * r()) * 1000) / 1000,
        ),
      );
      add(
        'http_request_duration_seconds_count',
        { job, instance },
        counter(observed, (r, round) => observe(r, round).n),
      );
      add('up', { job, instance }, (r) => (r() < 0.03 ? 0 : 1));
      add(
        'app_info',
        { job, instance, version: job === 'api' ? `1.${instance.charCodeAt(0) - 96}.0` : '2.0.0' },
        () => 1,
      );
    }
  }
  for (const instance of ['n1', 'n2', 'n3']) {
    const job = 'node';
    for (const cpu of ['0', '1']) {
      for (const [mode, pace] of [
        ['idle', 12],
        ['user', 2],
        ['system', 0.7],
      ] as const) {
        add(
          'node_cpu_seconds_total',
          { job, instance, cpu, mode },
          counter(Math.round(seed() * 1e7) / 100, (r) => Math.round(r() * 2 * pace * 100) / 100),
        );
      }
    }
    add('node_memory_bytes', { job, instance, kind: 'free' }, walk(4e9, 4096 * 200, 0, 0));
    add('node_memory_bytes', { job, instance, kind: 'used' }, walk(1.2e10, 4096 * 500, 0, 0));
    add('node_memory_bytes', { job, instance, kind: 'cached' }, walk(2e9, 4096 * 50, 0, 0));
    add('node_memory_bytes', { job, instance, kind: 'delta' }, walk(0, 3e6, 0));
    add('node_temperature_celsius', { job, instance, sensor: 'cpu' }, walk(45 + seed() * 10, 1.5, 2));
    add('node_temperature_celsius', { job, instance, sensor: 'ambient' }, walk(-2 + seed() * 4, 0.4, 2));
    add('node_load1', { job, instance }, walk(1 + seed(), 0.15, 3, 0));
    add('up', { job, instance }, () => 1);
  }
  for (const sensor of ['s1', 's2']) {
    const w = walk(10, 1, 1);
    add('sensor_value', { job: 'sensors', sensor }, (r, round, restarted) => {
      const v = w(r, round, restarted);
      return r() < 0.04 ? Number.NaN : v;
    });
  }
  return out;
}

/** The series as OpenMetrics text, time-major as scrapes come; each target's samples a few ms off the second. */
function openMetrics(series: readonly Series[]): { text: string; samples: number } {
  const r = rng(7);
  const lines: string[] = [];
  const text = series.map((s) => {
    const l = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`);
    return `${s.name}{${l.join(',')}}`;
  });
  for (let round = 0; round < ROUNDS; round++) {
    const jitter = new Map<string, number>();
    for (const t of Object.values(targets)) jitter.set(t.key, 2 + Math.floor(r() * 40));
    series.forEach((s, i) => {
      const t = s.target;
      const restarted = t.restarts?.includes(round) ?? false;
      const v = s.next(r, round, restarted);
      if (round < t.from || round >= t.to) return;
      if (t.gap !== undefined && round >= t.gap[0] && round < t.gap[1]) return;
      const ms = (T0 + round * INTERVAL_S) * 1000 + (jitter.get(t.key) as number);
      lines.push(`${text[i]} ${v} ${formatOpenMetricsTimestamp(ms)}`);
    });
  }
  return { text: `${lines.join('\n')}\n# EOF\n`, samples: lines.length };
}

// ---------------------------------------------------------------------------------------------------------------
// The queries.

interface Query {
  expr: string;
  /** Instant query time, or range. Unix seconds. */
  time?: number;
  range?: { start: number; end: number; step: number };
}

/** Instant query times: 2 s past a multiple of 5 s; before the data, inside, at the 2 h block edge, after. */
const instantTimes = [T0 + 1207, T0 + 3607, T0 + 7212, T0 + 9002, T0 + 10_822, T0 + 11_107, T0 - 118];
const ranges = [
  { start: T0 + 3607, end: T0 + 7207, step: 15 },
  { start: T0 - 593, end: T0 + 11_407, step: 60 },
  { start: T0 + 7212, end: T0 + 9012, step: 30 },
  { start: T0 + 32, end: T0 + 7232, step: 45 },
];

const counters = [
  'http_requests_total',
  'http_requests_total{code="500"}',
  'http_requests_total{job="api",method!="GET"}',
  'http_requests_total{instance=~"a|c",code!~"4.."}',
  'node_cpu_seconds_total{mode!="idle"}',
  'http_request_duration_seconds_count',
  'http_request_duration_seconds_bucket{le="0.25"}',
];
const gauges = [
  'node_memory_bytes',
  'node_memory_bytes{kind!~"free|used"}',
  'node_temperature_celsius',
  'node_load1',
  'up',
];
const windows = ['1m', '5m', '90s', '10m', '2m30s'];

/** Expressions from templates over the metrics above, and a hand list; each runs at two instant times and over two ranges. */
function expressions(): string[] {
  const out: string[] = [];
  let k = 0;
  const pick = <T>(xs: readonly T[]) => xs[k++ % xs.length] as T;

  for (const c of counters) {
    for (const f of ['rate', 'irate', 'increase', 'resets', 'changes']) {
      out.push(`${f}(${c}[${pick(windows)}])`, `${f}(${c}[${pick(windows)}] offset ${pick(['5m', '1h', '-10m'])})`);
    }
  }
  const overTime = ['avg', 'min', 'max', 'sum', 'count', 'last', 'present', 'stddev', 'stdvar'];
  for (const g of gauges) {
    for (const f of ['delta', 'idelta', 'deriv', 'changes', ...overTime.map((o) => `${o}_over_time`)]) {
      out.push(`${f}(${g}[${pick(windows)}])`);
    }
    out.push(
      `predict_linear(${g}[10m], 600)`,
      `predict_linear(${g}[5m] offset 1h, -300)`,
      `quantile_over_time(${pick(['0.9', '0.1', '0.5', '0', '1', '2', '-1'])}, ${g}[${pick(windows)}])`,
      `absent_over_time(${g}{instance="n3"}[${pick(windows)}])`,
      `${g}`,
      `${g} offset ${pick(['1m', '30m', '-5m'])}`,
      `${g} @ ${T0 + 5402}`,
    );
  }

  const inners = [
    'rate(http_requests_total[5m])',
    'http_requests_total',
    'node_memory_bytes',
    'node_temperature_celsius',
    'increase(http_request_duration_seconds_bucket[10m])',
  ];
  const groupings = [
    '',
    ' by (job)',
    ' without (instance)',
    ' by (job, code)',
    ' without (method, code)',
    ' by (instance, kind)',
    ' by (le)',
  ];
  for (const op of ['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'group']) {
    for (const e of inners) out.push(`${op}${pick(groupings)} (${e})`, `${op}${pick(groupings)} (${e})`);
  }
  for (const e of inners.slice(0, 4)) {
    out.push(
      `topk(3, ${e})`,
      `bottomk(2, ${e})`,
      `topk by (job) (1, ${e})`,
      `bottomk without (instance) (1, ${e})`,
      `quantile(${pick(['0.9', '0.5', '0', '1', '1.5', '-0.5'])}, ${e})`,
      `quantile by (job) (0.75, ${e})`,
      `count_values("value", floor(${e} / 100))`,
      `count_values by (job) ("v", ceil(${e}))`,
    );
  }
  out.push('count_values("value", up)', 'count_values without (instance) ("up", up)', 'topk(2, up)', 'bottomk(1, up)');

  const vectors = ['node_temperature_celsius', 'rate(http_requests_total{code="200"}[5m])', 'node_memory_bytes'];
  for (const v of vectors) {
    for (const op of ['+ 2', '* -1.5', '/ 0', '% 7', '^ 0.5', '- 1e9', 'atan2 1']) out.push(`${v} ${op}`);
    for (const op of ['> 10', '< 0', '>= bool 10', '== 0', '!= bool 0', '<= 1e9']) out.push(`${v} ${op}`);
    out.push(`10 < ${v}`, `2 * ${v}`, `-${v}`, `1 - ${v} > bool 0`, `${v} > 0 < 50`);
  }
  out.push(
    'node_memory_bytes{kind="used"} / ignoring(kind) node_memory_bytes{kind="free"}',
    'node_memory_bytes{kind="used"} / on(instance) group_left node_load1',
    'node_memory_bytes / on(job, instance) group_left node_load1',
    'node_load1 * on(instance) group_right node_memory_bytes',
    'node_temperature_celsius - ignoring(sensor) group_left node_load1',
    'node_temperature_celsius{sensor="cpu"} > ignoring(sensor) node_temperature_celsius{sensor="ambient"}',
    'node_temperature_celsius{sensor="cpu"} > bool ignoring(sensor) node_temperature_celsius{sensor="ambient"}',
    'http_requests_total * on(job, instance) group_left(version) app_info',
    'app_info * on(job, instance) group_right(version) http_requests_total',
    'rate(http_requests_total[5m]) / on(job, instance, method) group_left sum by (job, instance, method) (rate(http_requests_total[5m]))',
    'sum by (job, code) (rate(http_requests_total[5m])) / ignoring(code) group_left sum by (job) (rate(http_requests_total[5m]))',
    'http_request_duration_seconds_sum / http_request_duration_seconds_count',
    'rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])',
    'up == on(job, instance) bool up offset 10m',
    'up and http_requests_total',
    'up and on(job, instance) rate(http_requests_total{code="500"}[5m]) > 0',
    'http_requests_total{code="200"} or http_requests_total{code="500"}',
    'http_requests_total{method="GET"} or on(job, instance) up',
    'up unless on(instance) up offset 1h',
    'node_memory_bytes unless node_memory_bytes{kind="delta"}',
    'up or vector(5)',
    'sum(up) / count(up)',
    'node_load1 + on() group_left vector(1)',
    'node_load1 * on(instance) (node_load1 offset 5m)',
  );

  const math = [
    'abs',
    'ceil',
    'floor',
    'sqrt',
    'exp',
    'ln',
    'log2',
    'log10',
    'sgn',
    'sin',
    'cos',
    'tan',
    'asin',
    'acos',
    'atan',
    'sinh',
    'cosh',
    'tanh',
    'asinh',
    'acosh',
    'atanh',
    'deg',
    'rad',
    'timestamp',
  ];
  for (const f of math) {
    out.push(`${f}(node_temperature_celsius)`, `${f}(node_load1 - 1)`);
  }
  out.push(
    'exp(node_memory_bytes)',
    'ln(node_memory_bytes)',
    'round(node_temperature_celsius)',
    'round(node_temperature_celsius, 0.5)',
    'round(node_load1, 0.01)',
    'round(node_memory_bytes, 1e6)',
    'clamp(node_temperature_celsius, -1, 30)',
    'clamp(node_temperature_celsius, 30, -1)',
    'clamp_min(node_memory_bytes, 0)',
    'clamp_max(node_temperature_celsius, 0)',
    'timestamp(node_load1 offset 5m)',
    `timestamp(node_load1 @ ${T0 + 3302})`,
    'time() - timestamp(up)',
    'pi() * node_load1',
  );
  for (const f of ['hour', 'minute', 'month', 'year', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month']) {
    out.push(`${f}()`, `${f}(timestamp(up))`, `${f}(vector(${T0 + 7805}))`, `${f}(node_load1 * 1e9)`);
  }

  out.push(
    'max_over_time(rate(http_requests_total[5m])[30m:1m])',
    'max_over_time(rate(http_requests_total{code="200"}[5m])[1h:1m])',
    'avg_over_time(node_load1[1h:5m])',
    'min_over_time(sum by (job) (rate(http_requests_total[1m]))[20m:])',
    'max_over_time(deriv(node_temperature_celsius[10m])[1h:2m] offset 10m)',
    `sum_over_time(up[30m:1m] @ ${T0 + 6002})`,
    'max_over_time(avg_over_time(node_load1[10m:1m])[30m:5m])',
    'max_over_time(avg_over_time(node_load1[10m30s:1m])[30m:5m])',
    'min_over_time(rate(http_requests_total{code="200"}[5m:15s])[20m:1m])',
    'min_over_time(rate(http_requests_total{code="200"}[5m10s:15s])[20m:1m])',
    'count_over_time(http_requests_total{code="500"}[30m:15s])',
    'quantile_over_time(0.9, rate(http_requests_total[5m])[30m:1m])',
    'last_over_time(sum(rate(http_requests_total[5m]))[10m:30s])',
    'rate(http_requests_total{job="web"}[5m:30s])',
    'increase(http_requests_total{code="404"}[20m:1m])',
    'stddev_over_time(node_temperature_celsius[30m:20s])',
    'deriv(sum(node_memory_bytes)[30m:1m])',
    'changes(up[1h:1m])',
    'resets(http_requests_total[1h:1m])',
    'absent_over_time(nonexistent[10m:1m])',
    'avg_over_time((node_load1 > 1)[30m:1m])',
    `max_over_time(rate(http_requests_total[5m] @ ${T0 + 5402})[20m:1m])`,
    'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))',
    'histogram_quantile(0.5, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))',
    'histogram_quantile(0, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'histogram_quantile(1, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'histogram_quantile(1.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'histogram_quantile(-1, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{le!="+Inf"}[5m])))',
    'histogram_quantile(0.75, http_request_duration_seconds_bucket)',
    'histogram_quantile(0.5, rate(http_request_duration_seconds_bucket{job="web",instance="c"}[1m]))',
    'histogram_quantile(0.9, sum by (job, le) (increase(http_request_duration_seconds_bucket[1h])))',
    'label_replace(up, "host", "$1", "instance", "(.*)")',
    'label_replace(up, "host", "x-$1-$2", "instance", "(a|b)")',
    'label_replace(up, "foo", "x", "instance", "nomatch")',
    'label_replace(rate(http_requests_total[5m]), "status", "${1}xx", "code", "(.).*")',
    'label_replace(up, "instance", "", "instance", ".*")',
    'label_join(up, "combo", "-", "job", "instance")',
    'label_join(up, "job", ",", "instance", "job", "instance")',
    'label_join(node_load1, "empty", "/")',
    'absent(nonexistent)',
    'absent(nonexistent{job="x", instance=~"y"})',
    'absent(up)',
    'absent(sum(nonexistent))',
    'absent_over_time(http_requests_total{instance="c"}[10m])',
    'absent_over_time(nonexistent{job="z"}[5m])',
    'scalar(up{job="api", instance="a"})',
    'scalar(up)',
    'scalar(sum(up))',
    'vector(1)',
    'vector(time())',
    'vector(scalar(node_load1{instance="n1"}))',
    'time()',
    'time() + 3600',
    'up * time()',
    '1 + 2 * 3 - 4 / 5',
    '2 ^ 3 ^ 2',
    '-2 ^ 2',
    '5 % 3',
    '-5 % 3',
    '1 / 0',
    '-1 / 0',
    '0 / 0',
    '1 > bool 2',
    '3 == bool 3',
    '1e300 * 1e10',
    '0x1F + 1',
    '(1 + 2) * 3',
    'sort(node_temperature_celsius)',
    'sort_desc(rate(http_requests_total[5m]))',
    'sort(up)',
    'sort_desc(sum by (job) (http_requests_total))',
    'sort(sensor_value)',
    'sort_desc(sensor_value)',
    'sensor_value',
    'sum(sensor_value)',
    'max(sensor_value)',
    'min(sensor_value)',
    'avg_over_time(sensor_value[5m])',
    'max_over_time(sensor_value[5m])',
    'min_over_time(sensor_value[5m])',
    'topk(1, sensor_value)',
    'sensor_value > 10',
    'http_requests_total{job=~"api|web", instance!~"b", method="GET", code=~"2.*|5.*"}',
    'http_requests_total{job!="api"}',
    '{__name__="up", job="node"}',
    '{__name__=~"node_load1|up", instance=~"n.*"}',
    'http_requests_total{instance=""}',
    'http_requests_total{nonexistent=""}',
    `http_requests_total{code="200"} @ ${T0 + 1802}`,
    `rate(http_requests_total{code="200"}[5m] @ ${T0 + 1802} offset 10m)`,
    `http_requests_total{code="200"} offset 10m @ ${T0 + 1802}`,
    'rate(http_requests_total{code="404"}[5m] @ start())',
    'sum by (job) (rate(http_requests_total[5m] @ end()))',
    'node_load1 offset 5m @ end()',
    '+node_load1',
    '-(-node_load1)',
    'count(up) by (job)',
    'sum without () (node_load1)',
    'group by (job) (up)',
    'max by (instance) (up) == bool 1',
    'vector(1) + vector(2)',
    'vector(1) and on() up',
    'up * on() group_left() vector(2)',
    'label_replace(node_load1, "__name__", "renamed_load", "", "")',
    'sum by (__name__) ({__name__=~"node_.*"})',
    'count by (__name__, job) ({__name__=~"node_.*|up"})',
    '{__name__=~"node_load1|node_temperature_celsius"} offset 1m',
    'rate({__name__=~"http_requests_total|node_cpu_seconds_total", code!="404"}[5m])',
    'changes(node_memory_bytes[1h])',
    'topk(scalar(count(up)) - 8, up)',
    'bottomk(scalar(node_load1{instance="n1"}), node_load1)',
    'quantile(scalar(node_load1{instance="n1"}) / 5, up)',
    'round(node_temperature_celsius, scalar(node_load1{instance="n2"}))',
    'clamp(node_temperature_celsius, scalar(min(node_load1)), 30)',
    'predict_linear(node_memory_bytes[1h], 3600)',
    'deriv(http_requests_total{code="200"}[1h])',
    'irate(http_requests_total{code="200"}[30s])',
    'rate(http_requests_total{code="200"}[15s])',
    'increase(http_requests_total{code="200"}[20s])',
    'delta(node_temperature_celsius[16s])',
    'last_over_time(node_load1[1h])',
    'absent(node_load1 offset 1h)',
    'timestamp(vector(1))',
    'timestamp(sum(up))',
    'vector(0) * -1',
    'node_memory_bytes * 1e20',
    'node_load1 * 1e-12',
    'node_load1 / 3',
    'scalar(node_load1{instance="n1"}) * 1e300 * 1e10',
    'ln(node_load1 * 0)',
    'year(vector(-1e10))',
    'days_in_month(vector(1709164800))',
    'day_of_week(vector(1709164800 + 86400 * 3))',
    'sort_desc(count_values("v", up))',
    'bottomk(2, sort(node_load1))',
    'http_requests_total > on(job, instance, method, code) http_requests_total offset 1m',
    'http_requests_total{code="200"} - ignoring(code) http_requests_total{code="500"}',
    '1 - (node_memory_bytes{kind="free"} / ignoring(kind) node_memory_bytes{kind="used"})',
    'max_over_time((up + 1)[10m:1m])',
    'sum_over_time(vector(1)[10m:1m])',
    `count_over_time(up[1h] @ ${T0 + 5407})`,
    'sum(rate(http_requests_total[5m] offset 1h)) - sum(rate(http_requests_total[5m]))',
    'max_over_time(http_requests_total{code="500"}[10m:] offset 1h)',
    'quantile_over_time(0.5, node_temperature_celsius[30m:45s])',
    'avg(node_temperature_celsius) by (sensor) > bool on(sensor) group_left avg(node_temperature_celsius offset 1h) by (sensor)',
    'node_temperature_celsius > on(instance) group_left node_load1 * 10',
    'node_temperature_celsius == bool 0',
    'node_memory_bytes{kind="delta"} < 0',
    'abs(node_memory_bytes{kind="delta"}) > 1e6',
    'sgn(node_memory_bytes{kind="delta"})',
    'count(node_memory_bytes{kind="delta"} > 0) or vector(0)',
    'absent(node_memory_bytes{kind="delta"} > 1e15)',
    'stddev by (instance) (node_memory_bytes)',
    'stdvar without (kind) (node_memory_bytes)',
    'avg without (sensor) (node_temperature_celsius)',
    'min by (job) (http_request_duration_seconds_bucket)',
    'sum by (le) (http_request_duration_seconds_bucket) / ignoring(le) group_left sum(http_request_duration_seconds_count)',
    'histogram_quantile(0.9, sum by (le, instance) (rate(http_request_duration_seconds_bucket{job="web"}[90s])))',
    'histogram_quantile(scalar(node_load1{instance="n1"}) / 4, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'label_join(label_replace(up, "a", "$1", "instance", "(.)"), "b", "", "a", "job", "a")',
    'resets(node_cpu_seconds_total[1h])',
    'increase(node_cpu_seconds_total{instance="n2"}[10m])',
    'rate(http_requests_total{job="api",instance="b"}[10m])',
    'irate(http_requests_total{job="api",instance="b"}[1m])',
    'rate(http_requests_total{job="web",instance="a"}[10m])',
    'present_over_time(http_requests_total{job="web",instance="a",code="200"}[1m])',
    'count_over_time(node_load1{instance="n2"}[10m])',
  );
  return out;
}

/** Instant-only expressions: range vectors and strings (a range query refuses them; that is compared too). */
const instantOnly = [
  'http_requests_total{code="500"}[5m]',
  'node_load1[2m] offset 1h',
  `up{job="node"}[3m] @ ${T0 + 6302}`,
  'rate(http_requests_total{job="web",code="200"}[5m])[10m:1m]',
  'node_load1[10m:30s]',
  '"a string"',
];

/** Queries both must refuse, with the same errorType. */
const failing = [
  'sum(',
  'rate(up)',
  'up[5m] + 1',
  '1 > 2',
  'foo{}',
  '{__name__=~".*"}',
  'topk("a", up)',
  'http_requests_total + on(job) up',
  'up * on(job) group_left http_requests_total',
  'label_replace(up, "job", "x", "", "")',
  'label_replace(up, "1bad", "x", "", "")',
  'count_values("1bad", up)',
  'rate(http_requests_total[5m:0s])',
  'holt_winters(node_load1[10m])',
  'nonexistent_function(up)',
  'up @ 1 offset',
];

function queries(): Query[] {
  const out: Query[] = [];
  let k = 0;
  for (const expr of [...expressions(), ...failing]) {
    out.push({ expr, time: instantTimes[k % instantTimes.length] as number });
    out.push({ expr, time: instantTimes[(k + 3) % instantTimes.length] as number });
    out.push({ expr, range: ranges[k % ranges.length] as Query['range'] });
    out.push({ expr, range: ranges[(k + 1) % ranges.length] as Query['range'] });
    k++;
  }
  for (const expr of instantOnly) {
    out.push({ expr, time: instantTimes[k++ % instantTimes.length] as number });
    out.push({ expr, range: ranges[0] as Query['range'] });
  }
  out.push({ expr: 'up', range: { start: T0, end: T0 + 86_400, step: 1 } });
  out.push({ expr: 'up', range: { start: T0 + 100, end: T0, step: 15 } });
  out.push({ expr: 'up', range: { start: T0, end: T0 + 100, step: 0 } });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing answers.

interface Answer {
  http: number;
  body: {
    status: string;
    errorType?: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
}

type Verdict =
  | { kind: 'identical'; empty: boolean }
  | { kind: 'tolerance'; maxRelative: number }
  | { kind: 'mismatch'; why: string };

/** A float as Prometheus writes it in JSON. */
function promFloat(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(s);
}

class Differ {
  tolerated = false;
  /** The largest relative difference accepted. */
  maxRelative = 0;
  why = '';

  values(a: unknown, b: unknown, where: string): boolean {
    const pa = a as [number, string];
    const pb = b as [number, string];
    if (!Array.isArray(pa) || !Array.isArray(pb) || pa.length !== 2 || pb.length !== 2) {
      return this.fail(`${where}: not a [t, v] pair: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    if (pa[0] !== pb[0]) return this.fail(`${where}: timestamp ${pa[0]} vs ${pb[0]}`);
    if (pa[1] === pb[1]) return true;
    const x = promFloat(pa[1]);
    const y = promFloat(pb[1]);
    const relative = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    if (Number.isFinite(x) && Number.isFinite(y) && relative <= TOLERANCE) {
      this.tolerated = true;
      this.maxRelative = Math.max(this.maxRelative, relative);
      return true;
    }
    return this.fail(`${where}: at ${pa[0]} value ${pa[1]} vs ${pb[1]}`);
  }

  fail(why: string): false {
    this.why ||= why;
    return false;
  }
}

const seriesKey = (metric: Record<string, string>) =>
  JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Whether `expr` is a call of sort or sort_desc around the whole expression. */
function topLevelSort(expr: string): boolean {
  const m = /^\s*sort(_desc)?\s*\(/.exec(expr);
  if (m === null) return false;
  let depth = 0;
  for (let i = m[0].length - 1; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    else if (expr[i] === ')' && --depth === 0) return expr.slice(i + 1).trim() === '';
  }
  return false;
}

function compare(q: Query, v: Answer, p: Answer): Verdict {
  const d = new Differ();
  const same = (() => {
    if (v.body.status !== p.body.status) return d.fail(`status ${v.body.status} vs ${p.body.status}`);
    if (v.http !== p.http) return d.fail(`HTTP ${v.http} vs ${p.http}`);
    if (v.body.status !== 'success') {
      return v.body.errorType === p.body.errorType || d.fail(`errorType ${v.body.errorType} vs ${p.body.errorType}`);
    }
    const vd = v.body.data;
    const pd = p.body.data;
    if (vd === undefined || pd === undefined) return d.fail('no data');
    if (vd.resultType !== pd.resultType) return d.fail(`resultType ${vd.resultType} vs ${pd.resultType}`);
    if (vd.resultType === 'scalar' || vd.resultType === 'string') return d.values(vd.result, pd.result, 'result');
    type One = { metric: Record<string, string>; value?: unknown; values?: unknown[] };
    const vs = vd.result as One[];
    const ps = pd.result as One[];
    if (vs.length !== ps.length) return d.fail(`${vs.length} series vs ${ps.length}`);
    const byKey = new Map(ps.map((s) => [seriesKey(s.metric), s]));
    if (byKey.size !== ps.length) return d.fail('prometheus answered duplicate series');
    for (const s of vs) {
      const key = seriesKey(s.metric);
      const o = byKey.get(key);
      if (o === undefined) return d.fail(`series ${key} only in vigil`);
      if (vd.resultType === 'vector') {
        if (!d.values(s.value, o.value, key)) return false;
        continue;
      }
      const a = s.values ?? [];
      const b = o.values ?? [];
      if (a.length !== b.length) return d.fail(`${key}: ${a.length} points vs ${b.length}`);
      for (let i = 0; i < a.length; i++) if (!d.values(a[i], b[i], key)) return false;
    }
    if (q.time !== undefined && vd.resultType === 'vector' && topLevelSort(q.expr)) {
      // Sorted: the values in the same order (series with equal values may come in any order).
      for (let i = 0; i < vs.length; i++) {
        if (!d.values((vs[i] as One).value, (ps[i] as One).value, `position ${i}`)) return false;
      }
    }
    return true;
  })();
  if (!same) return { kind: 'mismatch', why: d.why };
  if (d.tolerated) return { kind: 'tolerance', maxRelative: d.maxRelative };
  const result = p.body.data?.result;
  return { kind: 'identical', empty: p.body.status !== 'success' || (Array.isArray(result) && result.length === 0) };
}

// ---------------------------------------------------------------------------------------------------------------

describe('the answer comparison', () => {
  const vector = (v: string, t = 1) => ({
    http: 200,
    body: { status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 'x' }, value: [t, v] }] } },
  });
  const q: Query = { expr: 'x', time: 1 };
  const table: Array<[string, Answer, Answer, Verdict['kind']]> = [
    ['same text', vector('1.5'), vector('1.5'), 'identical'],
    ['NaN and NaN', vector('NaN'), vector('NaN'), 'identical'],
    ['summation order', vector('0.30000000000000004'), vector('0.3'), 'tolerance'],
    ['a different value', vector('1.5'), vector('1.6'), 'mismatch'],
    ['NaN against a number', vector('NaN'), vector('1'), 'mismatch'],
    ['+Inf against a large number', vector('+Inf'), vector('1.7976931348623157e+308'), 'mismatch'],
    ['another timestamp', vector('1', 1), vector('1', 2), 'mismatch'],
    [
      'another series',
      {
        ...vector('1'),
        body: {
          ...vector('1').body,
          data: { resultType: 'vector', result: [{ metric: { a: 'y' }, value: [1, '1'] }] },
        },
      },
      vector('1'),
      'mismatch',
    ],
    [
      'another errorType',
      { http: 400, body: { status: 'error', errorType: 'bad_data' } },
      { http: 400, body: { status: 'error', errorType: 'execution' } },
      'mismatch',
    ],
    [
      'another HTTP status',
      { http: 422, body: { status: 'error', errorType: 'execution' } },
      { http: 400, body: { status: 'error', errorType: 'execution' } },
      'mismatch',
    ],
  ];
  for (const [name, a, b, kind] of table) {
    it(name, () => assert.equal(compare(q, a, b).kind, kind));
  }
  it('compares the order of a sort at the top of an instant query only', () => {
    /** Series x and y with values vx and vy, y first when `reversed`. */
    const two = (vx: string, vy: string, reversed: boolean): Answer => {
      const result = [
        { metric: { a: 'x' }, value: [1, vx] },
        { metric: { a: 'y' }, value: [1, vy] },
      ];
      if (reversed) result.reverse();
      return { http: 200, body: { status: 'success', data: { resultType: 'vector', result } } };
    };
    assert.equal(compare({ expr: 'sort(x)', time: 1 }, two('1', '2', false), two('1', '2', true)).kind, 'mismatch');
    assert.equal(
      compare({ expr: 'sort(x) + 1', time: 1 }, two('1', '2', false), two('1', '2', true)).kind,
      'identical',
    );
    assert.equal(compare({ expr: 'sort(x)', time: 1 }, two('1', '1', false), two('1', '1', true)).kind, 'identical');
    assert.equal(topLevelSort('sort_desc(rate(x[5m]))'), true);
    assert.equal(topLevelSort('sort(x) + sort(y)'), false);
  });
});

const oracleSkip = prometheusMissing === false ? false : `${prometheusMissing}: skipping the PromQL differential test`;

describe('PromQL differential: vigil against Prometheus 2.42 on the same blocks', { skip: oracleSkip }, () => {
  let root = '';
  let prometheus: PrometheusServer | undefined;
  let app: App | undefined;
  let vigilUrl = '';
  let token = '';
  let blocks: string[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'vigil-promql-diff-'));
    const series = dataset();
    const om = openMetrics(series);
    writeFileSync(join(root, 'data.om'), om.text);
    const promDir = join(root, 'prometheus');
    mkdirSync(promDir);
    await promtoolCreateBlocks(join(root, 'data.om'), promDir);
    blocks = readdirSync(promDir).filter((f) => /^[0-9A-Z]{26}$/.test(f));
    const vigilTsdb = join(root, 'vigil', 'tsdb');
    mkdirSync(vigilTsdb, { recursive: true });
    for (const b of blocks) cpSync(join(promDir, b), join(vigilTsdb, b), { recursive: true });
    // Not test/support/app.ts: the blocks must be in the data directory before the TSDB opens. A job named vigil
    // without targets turns the self-scrape off, so vigil holds only the blocks, as Prometheus does.
    writeFileSync(join(root, 'vigil.yml'), 'scrape_configs:\n  - job_name: vigil\n    static_configs: []\n');
    const [p, a] = await Promise.all([
      startPrometheus({ dataDir: promDir }),
      App.start({
        configFile: join(root, 'vigil.yml'),
        dataDir: join(root, 'vigil'),
        listen: '127.0.0.1:0',
        logger: createLogger({ level: 'error', write: () => {} }),
        env: { VIGIL_ADMIN_PASSWORD: 'differential' },
        console: () => {},
      }),
    ]);
    prometheus = p;
    app = a;
    vigilUrl = a.url();
    const admin = a.store.users.byName('admin');
    token = createApiToken(a.store, admin?.id ?? 0, 'promql-differential', null).secret;
    assert.equal(a.tsdb.blockMetas().length, blocks.length, 'vigil opened every block promtool wrote');
    assert.ok(om.samples > 90_000, `${om.samples} samples`);
  });

  after(async () => {
    await Promise.all([prometheus?.stop(), app?.stop()]);
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  async function ask(base: string, q: Query, headers: Record<string, string>): Promise<Answer> {
    const params: Record<string, string> =
      q.range === undefined
        ? { query: q.expr, time: String(q.time) }
        : { query: q.expr, start: String(q.range.start), end: String(q.range.end), step: String(q.range.step) };
    const path = q.range === undefined ? '/api/v1/query' : '/api/v1/query_range';
    const r = await request(`${base}${path}?${new URLSearchParams(params)}`, { headers });
    try {
      return { http: r.status, body: r.json() as Answer['body'] };
    } catch {
      return { http: r.status, body: { status: `unparsable: ${r.text.slice(0, 200)}` } };
    }
  }

  it('answers every query as Prometheus 2.42 does', async (t: TestContext) => {
    const all = queries();
    const excluded: Array<{ q: Query; reason: string }> = [];
    const compared = all.filter((q) => {
      const hit = knownDifferences.find((d) =>
        d.pattern === null ? false : typeof d.pattern === 'function' ? d.pattern(q.expr) : d.pattern.test(q.expr),
      );
      if (hit !== undefined) excluded.push({ q, reason: hit.reason });
      return hit === undefined;
    });
    const counts = { identical: 0, tolerance: 0, mismatch: 0, errors: 0, empty: 0 };
    const mismatches: string[] = [];
    const tolerated = new Set<string>();
    let maxRelative = 0;
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < compared.length) {
        const q = compared[next++] as Query;
        const [v, p] = await Promise.all([
          ask(vigilUrl, q, { Authorization: `Bearer ${token}` }),
          ask((prometheus as PrometheusServer).url, q, {}),
        ]);
        if (p.body.status !== 'success') counts.errors++;
        const verdict = compare(q, v, p);
        counts[verdict.kind]++;
        const what = `${q.range === undefined ? `instant @${q.time}` : `range ${JSON.stringify(q.range)}`} ${q.expr}`;
        if (verdict.kind === 'identical' && verdict.empty && p.body.status === 'success') counts.empty++;
        if (verdict.kind === 'tolerance') {
          tolerated.add(q.expr);
          maxRelative = Math.max(maxRelative, verdict.maxRelative);
        }
        if (verdict.kind === 'mismatch') {
          mismatches.push(
            `${what}\n  why: ${verdict.why}\n  vigil:      ${JSON.stringify(v).slice(0, 1500)}\n  prometheus: ${JSON.stringify(p).slice(0, 1500)}`,
          );
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    t.diagnostic(
      `${compared.length} queries compared in ${seconds} s over ${blocks.length} blocks: ${counts.identical} identical, ` +
        `${counts.tolerance} within ${TOLERANCE} relative (largest ${maxRelative.toExponential(1)}), ` +
        `${counts.mismatch} mismatched; ${counts.errors} errors and ${counts.empty} empty answers on both sides; ` +
        `${excluded.length} left out as known differences`,
    );
    for (const e of new Map(excluded.map((e) => [e.q.expr, e.reason]))) t.diagnostic(`left out: ${e[0]} (${e[1]})`);
    const toleratedExprs = [...tolerated];
    for (const e of toleratedExprs.slice(0, 12)) t.diagnostic(`within tolerance: ${e}`);
    if (toleratedExprs.length > 12)
      t.diagnostic(`within tolerance: … and ${toleratedExprs.length - 12} more expressions`);
    assert.ok(compared.length >= 300, `only ${compared.length} queries`);
    assert.ok(counts.empty + counts.errors < compared.length / 5, `${counts.empty} empty answers`);
    assert.equal(mismatches.length, 0, `${mismatches.length} mismatches:\n\n${mismatches.join('\n\n')}`);
  });
});
