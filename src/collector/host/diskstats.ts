import { TextCursor } from './cursor.ts';

/** Number of statistics after major, minor and name on a /proc/diskstats line of kernel 5.5+ (20 fields). */
export const diskstatsColumns = 17;

const cur = new TextCursor();

/**
 * Parses /proc/diskstats, calling `visit(line, major, minor, nameStart, nameEnd, stats, count)` per line with at least
 * 11 statistics (kernels before 4.18 print 14 fields, 4.18+ 18 with discards, 5.5+ 20 with flushes; old kernels'
 * 7-field partition lines are skipped). `stats` is reused: valid during the call only; `count` is how many of its
 * entries the line filled. The name is given as a range of `text` so that a caller can match it without a slice.
 */
export function parseDiskstats(
  text: string,
  stats: Float64Array,
  visit: (line: number, major: number, minor: number, nameStart: number, nameEnd: number, count: number) => void,
): void {
  const c = cur.reset(text);
  let line = 0;
  do {
    const major = c.number();
    const minor = c.number();
    c.skipBlanks();
    const nameStart = c.pos;
    c.skipField();
    const nameEnd = c.pos;
    let n = 0;
    while (n < diskstatsColumns && !c.atEol()) stats[n++] = c.number();
    if (n >= 11 && nameEnd > nameStart && !Number.isNaN(major)) visit(line, major, minor, nameStart, nameEnd, n);
    line++;
  } while (c.nextLine());
}
