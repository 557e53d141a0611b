import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

/** One /proc/meminfo field as node_exporter names it. */
export interface MeminfoField {
  /** The key as the kernel writes it, without the colon: `Active(anon)`. */
  readonly raw: string;
  /** node_exporter's key: parentheses become an underscore prefix and a unit adds `_bytes` (`Active_anon_bytes`). */
  readonly key: string;
  /** 1024 for fields in kB, 1 for counts (HugePages_Total). */
  readonly scale: number;
}

/** node_exporter's name for a meminfo key: `Active(anon)` → `Active_anon`, `_bytes` added when it has a unit. */
export function meminfoKey(raw: string, hasUnit: boolean): string {
  const open = raw.indexOf('(');
  const close = raw.lastIndexOf(')');
  const base =
    open >= 0 && close > open ? `${raw.slice(0, open)}_${raw.slice(open + 1, close)}${raw.slice(close + 1)}` : raw;
  return hasUnit ? `${base}_bytes` : base;
}

const cur = new TextCursor();

/**
 * Parses /proc/meminfo, calling `visit` per field with its value in node_exporter's unit (kB × 1024, counts as they
 * are). `fields` caches the field descriptions by line number across calls: a line whose key is unchanged costs no
 * string allocation.
 */
export function parseMeminfo(
  text: string,
  fields: (MeminfoField | undefined)[],
  visit: (field: MeminfoField, value: number) => void,
): void {
  const c = cur.reset(text);
  let line = 0;
  do {
    const t = c.text;
    const p = c.pos;
    let f = fields[line];
    if (f === undefined || !t.startsWith(f.raw, p) || t.charCodeAt(p + f.raw.length) !== 58) {
      const colon = t.indexOf(':', p);
      const eol = t.indexOf('\n', p);
      if (colon < 0 || (eol >= 0 && colon > eol)) continue; // a blank line (seen on some CentOS kernels)
      const raw = t.slice(p, colon);
      const rest = t.slice(colon + 1, eol < 0 ? t.length : eol).trim();
      const hasUnit = rest.indexOf(' ') > 0;
      f = { raw, key: meminfoKey(raw, hasUnit), scale: hasUnit ? 1024 : 1 };
      fields[line] = f;
    }
    c.advance(f.raw.length + 1);
    const v = c.number();
    if (!Number.isNaN(v)) visit(f, v * f.scale);
    line++;
  } while (c.nextLine());
}

/** Family names and help texts by node_exporter key, built once. */
const descs = new Map<string, { name: string; help: string }>();

/** node_exporter's meminfo collector: node_memory_<key> gauges. Remembers MemTotal and SwapTotal for machine_*. */
export class MeminfoCollector {
  private readonly fields: (MeminfoField | undefined)[] = [];
  /** MemTotal in bytes from the last collection, NaN before one. */
  memTotalBytes = Number.NaN;
  /** SwapTotal in bytes from the last collection, NaN before one. */
  swapTotalBytes = Number.NaN;

  collect(text: string, out: MetricFamily[]): void {
    this.memTotalBytes = this.swapTotalBytes = Number.NaN;
    parseMeminfo(text, this.fields, (f, v) => {
      let d = descs.get(f.key);
      if (d === undefined) {
        d = { name: `node_memory_${f.key}`, help: `Memory information field ${f.key}.` };
        descs.set(f.key, d);
      }
      out.push(single(d.name, 'gauge', d.help, v));
      if (f.raw === 'MemTotal') this.memTotalBytes = v;
      else if (f.raw === 'SwapTotal') this.swapTotalBytes = v;
    });
  }
}
