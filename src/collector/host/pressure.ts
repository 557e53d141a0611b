import type { MetricFamily } from '../../exposition/index.ts';
import { single } from './families.ts';

/** The `total=` of a PSI line (`some` or `full`) in µs, NaN when the line is absent. */
export function psiTotal(text: string, kind: 'some' | 'full'): number {
  let p = text.startsWith(kind) ? 0 : text.indexOf(`\n${kind}`);
  if (p < 0) return Number.NaN;
  const eol = text.indexOf('\n', p + 1);
  p = text.indexOf('total=', p);
  if (p < 0 || (eol >= 0 && p > eol)) return Number.NaN;
  p += 6;
  let v = 0;
  let digits = 0;
  for (let d = text.charCodeAt(p) - 48; d >= 0 && d <= 9; d = text.charCodeAt(++p) - 48, digits++) v = v * 10 + d;
  return digits === 0 ? Number.NaN : v;
}

/** µs → s as node_exporter computes it (two divisions, for identical floats). */
function seconds(us: number): number {
  return us / 1000.0 / 1000.0;
}

/** node_exporter's pressure collector: stall times from /proc/pressure/{cpu,io,memory} (null when unreadable). */
export function collectPressure(
  cpu: string | null,
  io: string | null,
  memory: string | null,
  out: MetricFamily[],
): void {
  if (cpu !== null) {
    const v = psiTotal(cpu, 'some');
    if (!Number.isNaN(v)) {
      out.push(
        single(
          'node_pressure_cpu_waiting_seconds_total',
          'counter',
          'Total time in seconds that processes have waited for CPU time',
          seconds(v),
        ),
      );
    }
  }
  for (const [text, res, waiting, stalled] of [
    [
      io,
      'io',
      'Total time in seconds that processes have waited due to IO congestion',
      'Total time in seconds no process could make progress due to IO congestion',
    ],
    [
      memory,
      'memory',
      'Total time in seconds that processes have waited for memory',
      'Total time in seconds no process could make progress due to memory congestion',
    ],
  ] as const) {
    if (text === null) continue;
    const some = psiTotal(text, 'some');
    const full = psiTotal(text, 'full');
    if (!Number.isNaN(some))
      out.push(single(`node_pressure_${res}_waiting_seconds_total`, 'counter', waiting, seconds(some)));
    if (!Number.isNaN(full))
      out.push(single(`node_pressure_${res}_stalled_seconds_total`, 'counter', stalled, seconds(full)));
  }
}
