/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) for bench/gateway.bench.ts: self time by function and
 * by source file, largest first, as shares of the sampled time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (process.hrtime's). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  /** Share of all sampled time (idle included), in percent. */
  percent: number;
}

export interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  /** Self time: samples whose top frame is the function. */
  byFunction: ProfileEntry[];
  /** Inclusive time: samples with the function anywhere on the stack (counted once per sample). */
  byFunctionInclusive: ProfileEntry[];
  byFile: ProfileEntry[];
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/(dist|src|node_modules)\//, '$1/');

const frameName = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || '(anonymous)'}${url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`}`;
};

/**
 * The `top` functions and files by time in the profile at `file`, counting only the samples taken within
 * [fromUs, toUs] (monotonic-clock microseconds, as `process.hrtime.bigint() / 1000n` gives in any process).
 */
export function summariseProfile(file: string, fromUs = 0, toUs = Number.POSITIVE_INFINITY, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const fn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (n === undefined) continue;
    total += us;
    const { functionName, url } = n.callFrame;
    if (functionName === '(idle)') idle += us;
    const key = frameName(n);
    fn.set(key, (fn.get(key) ?? 0) + us);
    const fileKey = url === '' ? `(${functionName})` : shortUrl(url);
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
    const seen = new Set<string>();
    for (let a: ProfileNode | undefined = n; a !== undefined; a = byId.get(parent.get(a.id) ?? -1)) {
      const k = frameName(a);
      if (seen.has(k) || a.callFrame.functionName === '(root)') continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>): ProfileEntry[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        percent: Math.round((us / total) * 1000) / 10,
      }));
  return {
    sampledMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    byFunction: rank(fn),
    byFunctionInclusive: rank(inclusive),
    byFile: rank(files),
  };
}
