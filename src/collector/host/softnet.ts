import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { appendNonEmpty, family, push } from './families.ts';

/** Parses a hexadecimal field of /proc/net/softnet_stat; NaN when malformed. */
function hex(t: string, start: number, end: number): number {
  let v = 0;
  for (let p = start; p < end; p++) {
    const c = t.charCodeAt(p);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return Number.NaN;
    v = v * 16 + d;
  }
  return end > start ? v : Number.NaN;
}

/**
 * node_exporter's softnet collector: node_softnet_{processed,dropped,times_squeezed}_total by cpu, from
 * /proc/net/softnet_stat (one line of hex columns per CPU; `cpu` is the line's index, as node_exporter 1.5 labels it).
 */
export class SoftnetCollector {
  private readonly labels: Labels[] = [];

  collect(text: string, out: MetricFamily[]): void {
    const processed = family('node_softnet_processed_total', 'counter', 'Number of processed packets');
    const dropped = family('node_softnet_dropped_total', 'counter', 'Number of dropped packets');
    const squeezed = family(
      'node_softnet_times_squeezed_total',
      'counter',
      'Number of times processing packets ran out of quota',
    );
    let line = 0;
    let p = 0;
    while (p < text.length) {
      const eol = text.indexOf('\n', p);
      const end = eol < 0 ? text.length : eol;
      const cols: number[] = [];
      let q = p;
      while (cols.length < 3 && q < end) {
        while (q < end && text.charCodeAt(q) === 32) q++;
        const s = q;
        while (q < end && text.charCodeAt(q) !== 32) q++;
        if (q > s) cols.push(hex(text, s, q));
      }
      if (cols.length === 3) {
        let l = this.labels[line];
        if (l === undefined) {
          l = Labels.fromSortedFlat(['cpu', String(line)]);
          this.labels[line] = l;
        }
        push(processed, l, cols[0] as number);
        push(dropped, l, cols[1] as number);
        push(squeezed, l, cols[2] as number);
        line++;
      }
      p = end + 1;
    }
    appendNonEmpty(out, dropped, processed, squeezed);
  }
}

export { hex as parseHex };
