/**
 * Start-timestamp lines of `load` blocks: `metric{…}@st <offsets>` gives the start timestamp of each sample of
 * the series on the next line, as an offset from the sample's time; a standalone `@st <offsets>` is the default
 * for the series after it in the block. vigil's storage keeps no start timestamps, so the runner only needs
 * to know which series have them; the offsets are parsed (and checked) as upstream parses them.
 */
import { parseDurationMs } from '../../model/index.ts';

/** Whether a (trimmed) line is an `@st` line: its first word ends with `@st`. */
export function isStartTimestampLine(line: string): boolean {
  const sp = line.search(/[ \t]/);
  return sp >= 0 && line.slice(0, sp).endsWith('@st');
}

/** Splits an `@st` line into the series part ('' for the standalone form) and its offsets. Throws Error. */
export function splitStartTimestampLine(line: string): { metric: string; offsets: Array<number | null> } {
  const sp = line.search(/[ \t]/);
  return { metric: line.slice(0, sp - '@st'.length), offsets: parseStartTimestampSequence(line.slice(sp + 1)) };
}

/**
 * Offsets in milliseconds, `null` for an omitted position. Items: `_`, `_xN` (N omitted), `*` and `*xN`
 * (the previous offset, once or N+1 times), `<dur>`, `<dur>xN` (N+1 times), `<dur>+<dur>xN` and
 * `<dur>-<dur>xN` (N+1 offsets stepping by the second duration). Durations may be signed. Throws Error.
 */
export function parseStartTimestampSequence(input: string): Array<number | null> {
  const out: Array<number | null> = [];
  for (const item of input.split(/[ \t]+/).filter((s) => s !== '')) {
    const prev = out.findLast((v) => v !== null) ?? 0;
    try {
      out.push(...parseItem(item, prev));
    } catch (err) {
      throw new Error(`invalid ST item ${JSON.stringify(item)}: ${(err as Error).message}`);
    }
  }
  return out;
}

function parseItem(item: string, prev: number): Array<number | null> {
  if (item === '_') return [null];
  if (item.startsWith('_x')) {
    const n = repeat(item.slice(2));
    if (n === 0) throw new Error('invalid repeat count');
    return new Array<null>(n).fill(null);
  }
  if (item === '*') return [prev];
  if (item.startsWith('*x')) return new Array<number>(repeat(item.slice(2)) + 1).fill(prev);
  const [base, rest] = durationPrefix(item);
  if (rest === '') return [base];
  if (rest[0] === 'x') return new Array<number>(repeat(rest.slice(1)) + 1).fill(base);
  if (rest[0] !== '+' && rest[0] !== '-') throw new Error(`unexpected character ${JSON.stringify(rest[0])}`);
  const [delta, rest2] = durationPrefix(rest.slice(1));
  if (rest2[0] !== 'x') throw new Error("expected 'x<count>' after step duration");
  const n = repeat(rest2.slice(1));
  const step = rest[0] === '-' ? -delta : delta;
  const out: number[] = [];
  for (let i = 0, v = base; i <= n; i++, v += step) out.push(v);
  return out;
}

/** A signed duration at the start of `s` (digits, then letters other than `x`), in ms, and what follows. */
function durationPrefix(s: string): [number, string] {
  const m = /^([+-]?)(\d+[a-wyzA-Z]*)/.exec(s);
  if (m === null) throw new Error(`expected digits in duration ${JSON.stringify(s)}`);
  const ms = parseDurationMs(m[2] as string);
  if (ms === undefined) throw new Error(`invalid duration ${JSON.stringify(m[2])}`);
  return [m[1] === '-' ? -ms : ms, s.slice(m[0].length)];
}

function repeat(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new Error('invalid repeat count');
  return Number(digits);
}
