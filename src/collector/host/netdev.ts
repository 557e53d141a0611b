import { TextCursor } from './cursor.ts';

/** /proc/net/dev's 16 columns: 8 receive, then 8 transmit. */
export const netdevColumns = 16;

/** node_network_<column>_total names of the /proc/net/dev columns, in column order. */
export const netdevFields = [
  'receive_bytes',
  'receive_packets',
  'receive_errs',
  'receive_drop',
  'receive_fifo',
  'receive_frame',
  'receive_compressed',
  'receive_multicast',
  'transmit_bytes',
  'transmit_packets',
  'transmit_errs',
  'transmit_drop',
  'transmit_fifo',
  'transmit_colls',
  'transmit_carrier',
  'transmit_compressed',
] as const;

const cur = new TextCursor();

/**
 * Parses /proc/net/dev: after the two header lines, `visit(line, nameStart, nameEnd, stats)` per interface with its 16
 * counters in `stats` (reused; valid during the call). The name is a range of `text` (before the colon, without
 * padding) so that a caller can match it against a cached name without slicing.
 */
export function parseNetDev(
  text: string,
  stats: Float64Array,
  visit: (line: number, nameStart: number, nameEnd: number) => void,
): void {
  const c = cur.reset(text);
  if (!c.nextLine() || !c.nextLine()) return;
  let line = 0;
  do {
    c.skipBlanks();
    const t = c.text;
    const nameStart = c.pos;
    const colon = t.indexOf(':', nameStart);
    const eol = t.indexOf('\n', nameStart);
    if (colon < 0 || (eol >= 0 && colon > eol)) continue;
    let nameEnd = colon;
    while (nameEnd > nameStart && t.charCodeAt(nameEnd - 1) === 32) nameEnd--;
    c.pos = colon + 1;
    let n = 0;
    while (n < netdevColumns && !c.atEol()) stats[n++] = c.number();
    if (n === netdevColumns) visit(line, nameStart, nameEnd);
    line++;
  } while (c.nextLine());
}
