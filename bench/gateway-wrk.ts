/**
 * wrk runs and /proc readings for bench/gateway.bench.ts: one wrk run per call (1 thread, keep-alive), its
 * requests/s and p50/p99 latency, and the CPU time (utime+stime) the given processes spent over the run.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks = 0;

/** utime+stime of `pid` in seconds (clock-tick resolution, usually 10 ms); 0 once the process is gone. */
export function cpuSeconds(pid: number): number {
  clockTicks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** The ids of the processes whose parent is `pid` (nginx's workers under its master). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** The three load averages from /proc/loadavg. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a ?? Number.NaN, b ?? Number.NaN, c ?? Number.NaN];
}

export interface WrkRun {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status of 400 or more (wrk's "Non-2xx or 3xx"). */
  non2xx: number;
  /** Connect, read, write and timeout errors. */
  socketErrors: number;
}

export interface WrkOptions {
  durationS: number;
  connections: number;
  /** Extra request headers, `Name: value`. */
  headers: readonly string[];
  /** A wrk Lua script (e.g. setting method and body). */
  script?: string;
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Runs wrk once against `url`; throws when it made no request. */
export function wrk(url: string, o: WrkOptions): WrkRun {
  const argv = ['-t1', `-c${o.connections}`, `-d${o.durationS}s`, '--latency'];
  for (const h of o.headers) argv.push('-H', h);
  if (o.script !== undefined) argv.push('-s', o.script);
  argv.push(url);
  const out = execFileSync('wrk', argv, { encoding: 'utf8' });
  if (!/ requests in /.test(out) || / 0 requests in /.test(out)) throw new Error(`wrk failed:\n${out}`);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: num(/(\d+) requests in/),
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
    socketErrors: errors ? errors.slice(1).reduce((s, x) => s + Number(x), 0) : 0,
  };
}

export interface Measured extends WrkRun {
  /** CPU time of the measured processes (the proxy, or the backend when measured directly) per request. */
  cpuUsPerRequest: number;
  /** CPU time of the backend per request, when the backend is not the measured process. */
  backendCpuUsPerRequest?: number;
  /** /proc/loadavg (1, 5, 15 min) right after the run. */
  loadAfter: [number, number, number];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A short warm-up run, then the measured run; CPU is read from /proc before and after it for `pids()` (called
 * at both ends, so processes started in between are counted from zero) and for `backendPid` apart.
 */
export function measure(
  url: string,
  o: WrkOptions & { warmupS: number },
  pids: () => number[],
  backendPid?: number,
): Measured {
  wrk(url, { ...o, durationS: o.warmupS });
  const sum = (ids: number[]) => ids.reduce((s, id) => s + cpuSeconds(id), 0);
  const before = new Map(pids().map((id) => [id, cpuSeconds(id)]));
  const backendBefore = backendPid === undefined ? 0 : cpuSeconds(backendPid);
  const r = wrk(url, o);
  const after = pids();
  const cpu = sum(after) - after.reduce((s, id) => s + (before.get(id) ?? 0), 0);
  const out: Measured = { ...r, cpuUsPerRequest: round1((cpu / r.requests) * 1e6), loadAfter: loadAverage() };
  if (backendPid !== undefined) {
    out.backendCpuUsPerRequest = round1(((cpuSeconds(backendPid) - backendBefore) / r.requests) * 1e6);
  }
  return out;
}
