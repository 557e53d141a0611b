/**
 * The head's series by label set. Keyed by a 32-bit hash of the labels, series with equal hashes chained, as
 * Prometheus' `stripeSeries` keys by `labels.Hash()`: no key string per series (joining the labels into one
 * took about 170 bytes a series on the benchmark's workload, a twentieth of the head's memory).
 */
import type { Labels } from '../../model/index.ts';
import type { MemSeries } from './mem-series.ts';

export class SeriesByLabels {
  private readonly map = new Map<number, MemSeries | MemSeries[]>();

  get(labels: Labels): MemSeries | undefined {
    const found = this.map.get(hashLabels(labels));
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return found.labels === labels || found.labels.equals(labels) ? found : undefined;
    return found.find((s) => s.labels === labels || s.labels.equals(labels));
  }

  /** Adds a series; no series with equal labels may be in the map. */
  add(series: MemSeries): void {
    const h = hashLabels(series.labels);
    const found = this.map.get(h);
    if (found === undefined) this.map.set(h, series);
    else if (Array.isArray(found)) found.push(series);
    else this.map.set(h, [found, series]);
  }

  /** Removes this very series (by identity); no-op when absent. */
  delete(series: MemSeries): void {
    const h = hashLabels(series.labels);
    const found = this.map.get(h);
    if (found === series) {
      this.map.delete(h);
    } else if (Array.isArray(found)) {
      const rest = found.filter((s) => s !== series);
      this.map.set(h, rest.length === 1 ? (rest[0] as MemSeries) : rest);
    }
  }
}

/** FNV-1a over the UTF-16 code units of names and values, each followed by 0xff; a small integer (V8 Smi). */
export function hashLabels(labels: Labels): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.size; i++) {
    h = hashString(h, labels.name(i));
    h = hashString(h, labels.value(i));
  }
  return h | 0;
}

function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0xff, 0x01000193);
}
