/**
 * Interface counters of one network namespace from `/proc/<pid>/net/dev`, as cAdvisor reports them per container:
 * interfaces named `lo*`, `veth*`, `docker*` and `nerdctl*` are left out (loopback, the host ends of container
 * links and the bridges).
 */
import type { InterfaceStats } from '../types.ts';
import { decimalAt } from './parse.ts';

const skippedPrefixes = ['lo', 'veth', 'docker', 'nerdctl'] as const;

/** Whether cAdvisor leaves interface `name` out of a container's network stats. */
export function isSkippedInterface(name: string): boolean {
  for (const p of skippedPrefixes) if (name.startsWith(p)) return true;
  return false;
}

/**
 * Parses the text of `/proc/<pid>/net/dev` (two header lines, then `name: 16 counters`), skipped interfaces left
 * out, in file order. A malformed line is skipped.
 */
export function parseNetDev(text: string): InterfaceStats[] {
  const out: InterfaceStats[] = [];
  let line = text.indexOf('\n');
  line = line < 0 ? -1 : text.indexOf('\n', line + 1);
  while (line >= 0 && line + 1 < text.length) {
    const start = line + 1;
    const next = text.indexOf('\n', start);
    const end = next < 0 ? text.length : next;
    line = next;
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon > end) continue;
    const name = text.slice(start, colon).trim();
    if (name === '' || isSkippedInterface(name)) continue;
    const v: number[] = [];
    let p = colon + 1;
    for (let k = 0; k < 16; k++) {
      let c = text.charCodeAt(p);
      while (c === 32 || c === 9) c = text.charCodeAt(++p);
      const value = decimalAt(text, p);
      if (Number.isNaN(value) || p >= end) break;
      v.push(value);
      while (c >= 48 && c <= 57) c = text.charCodeAt(++p);
    }
    if (v.length < 16) continue;
    out.push({
      name,
      rxBytes: v[0] as number,
      rxPackets: v[1] as number,
      rxErrors: v[2] as number,
      rxDropped: v[3] as number,
      txBytes: v[8] as number,
      txPackets: v[9] as number,
      txErrors: v[10] as number,
      txDropped: v[11] as number,
    });
  }
  return out;
}
