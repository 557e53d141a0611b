import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

const cur = new TextCursor();

/** The three load averages of /proc/loadavg; NaN where the text has no number. */
export function parseLoadavg(text: string): [number, number, number] {
  const c = cur.reset(text);
  return [c.number(), c.number(), c.number()];
}

/** node_exporter's loadavg collector: node_load1, node_load5, node_load15. */
export function collectLoadavg(text: string, out: MetricFamily[]): void {
  const [l1, l5, l15] = parseLoadavg(text);
  if (Number.isNaN(l1) || Number.isNaN(l5) || Number.isNaN(l15)) return;
  out.push(single('node_load1', 'gauge', '1m load average.', l1));
  out.push(single('node_load5', 'gauge', '5m load average.', l5));
  out.push(single('node_load15', 'gauge', '15m load average.', l15));
}
