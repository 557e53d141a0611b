/**
 * `vigil query EXPR [--time T] [--range START END STEP]`: asks a running vigil over its Prometheus API and prints
 * the result as an aligned table. Times are RFC 3339, Unix seconds, `now` or `now-<duration>` (`now-1h`).
 */
import { ConfigError, loadConfig } from '../config/index.ts';
import { parseDurationMs } from '../model/index.ts';
import { UsageError } from './errors.ts';

export interface QueryFlags {
  time?: string;
  range?: string[];
  url?: string;
  config?: string;
  token?: string;
}

interface ApiAnswer {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

type Point = [number, string];
interface VectorSample {
  metric: Record<string, string>;
  value: Point;
}
interface MatrixSeries {
  metric: Record<string, string>;
  values?: Point[];
}

/** Runs the query and prints the table on stdout; errors and warnings go to stderr. Returns the exit code. */
export async function queryCommand(
  expr: string,
  flags: QueryFlags,
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
  now: () => number = Date.now,
): Promise<number> {
  if (flags.time !== undefined && flags.range !== undefined)
    throw new UsageError('--time and --range exclude each other');
  const base = serverUrl(flags);
  const form = new URLSearchParams({ query: expr });
  let path = '/api/v1/query';
  if (flags.range !== undefined) {
    if (flags.range.length !== 3) {
      throw new UsageError(`--range takes START END STEP, got ${flags.range.length} value(s)`);
    }
    const [start, end, step] = flags.range as [string, string, string];
    path = '/api/v1/query_range';
    form.set('start', cliTime(start, now, '--range START'));
    form.set('end', cliTime(end, now, '--range END'));
    form.set('step', step);
  } else if (flags.time !== undefined) {
    form.set('time', cliTime(flags.time, now, '--time'));
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const token = flags.token ?? env.VIGIL_TOKEN;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, base), { method: 'POST', headers, body: form.toString() });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    err(`vigil: cannot reach ${base}: ${cause}\n`);
    return 1;
  }
  const text = await response.text();
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    err(`vigil: ${base} answered ${response.status} without a JSON body: ${text.slice(0, 200)}\n`);
    return 1;
  }
  for (const w of answer.warnings ?? []) err(`warning: ${w}\n`);
  for (const i of answer.infos ?? []) err(`info: ${i}\n`);
  if (answer.status !== 'success' || answer.data === undefined) {
    const hint = response.status === 401 ? ' (pass --token or set VIGIL_TOKEN)' : '';
    err(`vigil: ${answer.errorType ?? 'error'}: ${answer.error ?? `HTTP ${response.status}`}${hint}\n`);
    return 1;
  }
  out(renderResult(answer.data.resultType, answer.data.result));
  return 0;
}

/** The server's base URL: `--url`, else the config's `server.listen`, else vigil's default address. */
function serverUrl(flags: QueryFlags): string {
  if (flags.url !== undefined) {
    try {
      return new URL(flags.url).href;
    } catch {
      throw new UsageError(`--url: expected a URL like http://127.0.0.1:9090, got ${JSON.stringify(flags.url)}`);
    }
  }
  if (flags.config !== undefined) {
    let server: ReturnType<typeof loadConfig>['server'];
    try {
      server = loadConfig(flags.config).server;
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`--config: ${e.message}`);
      throw e;
    }
    const scheme = server.tls?.cert_file ? 'https' : 'http';
    const host = server.listen.startsWith(':')
      ? `127.0.0.1${server.listen}`
      : server.listen.replace(/^0\.0\.0\.0:/, '127.0.0.1:');
    return `${scheme}://${host}/`;
  }
  return 'http://127.0.0.1:9090/';
}

/** `now`, `now-1h` or `now+5m` as Unix seconds; anything else is passed on for the server to parse. */
function cliTime(value: string, now: () => number, flag: string): string {
  const m = /^now(?:([+-])(.+))?$/.exec(value);
  if (m === null) return value;
  let ms = now();
  if (m[1] !== undefined) {
    const d = parseDurationMs(m[2] as string);
    if (d === undefined)
      throw new UsageError(`${flag}: expected now-<duration> like now-1h, got ${JSON.stringify(value)}`);
    ms += m[1] === '-' ? -d : d;
  }
  return (ms / 1000).toFixed(3);
}

/** `name{a="b", c="d"}`, or `{}` for the empty label set. */
export function formatMetric(metric: Record<string, string>): string {
  const { __name__: name = '', ...rest } = metric;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return pairs.length === 0 && name !== '' ? name : `${name}{${pairs.join(', ')}}`;
}

function formatTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString();
}

/** The result as an aligned table: SERIES and VALUE, plus TIME for range vectors. */
export function renderResult(resultType: string, result: unknown): string {
  switch (resultType) {
    case 'vector': {
      const samples = result as VectorSample[];
      if (samples.length === 0) return '(empty result)\n';
      return table(
        ['SERIES', 'VALUE'],
        samples.map((s) => [formatMetric(s.metric), s.value[1]]),
      );
    }
    case 'matrix': {
      const series = result as MatrixSeries[];
      const rows: string[][] = [];
      for (const s of series) {
        const name = formatMetric(s.metric);
        for (const [t, v] of s.values ?? []) rows.push([name, v, formatTime(t)]);
      }
      if (rows.length === 0) return '(empty result)\n';
      return table(['SERIES', 'VALUE', 'TIME'], rows);
    }
    case 'scalar': {
      const [, v] = result as Point;
      return table(['SCALAR'], [[v]]);
    }
    case 'string': {
      const [, v] = result as Point;
      return `${v}\n`;
    }
    default:
      return `${JSON.stringify(result)}\n`;
  }
}

/** Columns padded to their widest cell; the last column is not padded. Values are right-aligned. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const valueCol = header.indexOf('VALUE');
  return `${all
    .map((r) =>
      r
        .map((cell, i) => {
          if (i === r.length - 1 && i !== valueCol) return cell;
          const w = widths[i] as number;
          return i === valueCol ? cell.padStart(w) : cell.padEnd(w);
        })
        .join('  '),
    )
    .join('\n')}\n`;
}
