/**
 * Parses PromQL `.test` files (upstream's `promql/promqltest/test.go`, its `parse`, `parseLoad` and
 * `parseEval`): lines are trimmed, `#` lines blanked, a blank line ends a block. Expressions are kept as text;
 * the runner parses them (an expression our parser rejects is a failed eval, not a broken file).
 */
import { parseDurationMs } from '../../model/index.ts';
import {
  type Command,
  type EvalCommand,
  type ExpectedSeries,
  type LoadCommand,
  type LoadedSeries,
  type MessageMatch,
  TestSyntaxError,
} from './commands.ts';
import { goUnquote, parseGoNumber } from './go-text.ts';
import { parseSeriesDesc, SeriesDescError } from './series-desc.ts';
import { isStartTimestampLine, splitStartTimestampLine } from './start-timestamps.ts';

const patLoad = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const patEvalInstant = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const patEvalRange = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const patExpect = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const patExpectRange = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
/** What an `expect` line without `msg:`/`regex:` matches (Go's `^.*$`: any message without a newline). */
const matchAny: MessageMatch = { kind: 'regex', regex: /^.*$/ };

/** Parses a whole file; `file` only names it in errors. Throws TestSyntaxError at the first problem. */
export function parseTestFile(text: string, file: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const raise = (i: number, reason: string): never => {
    throw new TestSyntaxError(file, i + 1, reason);
  };
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l === '') continue;
    const word = (l.split(/[\t ]+/, 1)[0] as string).toLowerCase();
    if (word === 'clear') {
      commands.push({ kind: 'clear', line: i + 1 });
    } else if (word.startsWith('load')) {
      const [next, cmd] = parseLoad(lines, i, raise);
      commands.push(cmd);
      i = next;
    } else if (word.startsWith('eval')) {
      const [next, cmd] = parseEval(lines, i, raise);
      commands.push(cmd);
      i = next;
    } else {
      raise(i, `invalid command ${JSON.stringify(l)}`);
    }
  }
  return commands;
}

type Raise = (i: number, reason: string) => never;

function seriesDesc(text: string, i: number, raise: Raise) {
  try {
    return parseSeriesDesc(text);
  } catch (err) {
    if (err instanceof SeriesDescError) return raise(i, `${err.message} in ${JSON.stringify(text)}`);
    throw err;
  }
}

/** Returns the index of the block's last line and the command. */
function parseLoad(lines: readonly string[], i: number, raise: Raise): [number, LoadCommand] {
  const start = i;
  const parts =
    patLoad.exec(lines[i] as string) ?? raise(i, 'invalid load command. (load[_with_nhcb] <step:duration>)');
  const intervalMs =
    parseDurationMs(parts[2] as string) ?? raise(i, `invalid step definition ${JSON.stringify(parts[2])}`);
  const series = new Map<string, LoadedSeries>();
  let defaultSt = false;
  /** The `metric@st` line waiting for its sample line. */
  let pending: { key: string; line: number; count: number; some: boolean } | null = null;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const line = lines[i] as string;
    if (isStartTimestampLine(line)) {
      if (pending !== null) raise(pending.line, '@st line has no following sample line');
      let st: ReturnType<typeof splitStartTimestampLine>;
      try {
        st = splitStartTimestampLine(line);
      } catch (err) {
        return raise(i, `invalid @st sequence: ${(err as Error).message}`);
      }
      const some = st.offsets.some((o) => o !== null);
      if (st.metric === '') defaultSt = some;
      else
        pending = { key: seriesDesc(`${st.metric} _`, i, raise).labels.key(), line: i, count: st.offsets.length, some };
      continue;
    }
    const desc = seriesDesc(line, i, raise);
    if (pending !== null) {
      if (desc.labels.key() !== pending.key)
        raise(pending.line, '@st metric does not match the following sample line metric');
      if (pending.count !== desc.values.length) {
        raise(pending.line, `@st line has ${pending.count} values but sample line has ${desc.values.length}`);
      }
    }
    const startTimestamps = pending === null ? defaultSt : pending.some;
    series.set(desc.labels.key(), { line: i + 1, labels: desc.labels, values: desc.values, startTimestamps });
    pending = null;
  }
  if (pending !== null) raise(pending.line, '@st line has no following sample line');
  return [
    i,
    { kind: 'load', line: start + 1, intervalMs, withNhcb: parts[1] !== undefined, series: [...series.values()] },
  ];
}

function parseMessageMatch(kind: string | undefined, text: string | undefined): MessageMatch | string {
  if (kind === undefined) return matchAny;
  const s = (text as string).trim();
  if (kind === 'msg') return { kind: 'msg', text: s };
  try {
    return { kind: 'regex', regex: new RegExp(s) };
  } catch {
    return `invalid regex ${s}`;
  }
}

/** Milliseconds since the epoch of a `<time>` or `<step>`, or an error text. */
function duration(what: string, text: string): number | string {
  return parseDurationMs(text) ?? `invalid ${what} definition ${JSON.stringify(text)}`;
}

/** Returns the index of the block's last line and the command. */
function parseEval(lines: readonly string[], i: number, raise: Raise): [number, EvalCommand] {
  const first = lines[i] as string;
  const instant = patEvalInstant.exec(first);
  const range = instant === null ? patEvalRange.exec(first) : null;
  if (instant === null && range === null) {
    raise(
      i,
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
    );
  }
  const mod = (instant ?? range)?.[1];
  const expr = (instant !== null ? instant[3] : range?.[5]) as string;
  const line = i + 1;
  const fail = (reason: string): never => raise(line - 1, `error in eval ${expr}: ${reason}`);
  const num = (r: number | string): number => (typeof r === 'string' ? fail(r) : r);

  let startMs: number;
  let endMs = Number.NEGATIVE_INFINITY;
  let stepMs = 0;
  if (instant !== null) {
    startMs = num(duration('timestamp', instant[2] ?? ''));
  } else {
    const r = range as RegExpExecArray;
    startMs = num(duration('start timestamp', r[2] as string));
    endMs = num(duration('end timestamp', r[3] as string));
    if (endMs < startMs) fail(`invalid test definition, end timestamp (${r[3]}) is before start timestamp (${r[2]})`);
    stepMs = num(duration('step', r[4] as string));
  }
  const cmd = {
    kind: 'eval' as const,
    line,
    expr,
    range: range !== null,
    startMs,
    endMs,
    stepMs,
    evalMs: startMs,
    fail: [] as MessageMatch[],
    warn: [] as MessageMatch[],
    info: [] as MessageMatch[],
    noWarn: false,
    noInfo: false,
    ordered: mod === 'ordered',
    legacyFail: mod === 'fail',
    legacyWarn: mod === 'warn',
    legacyInfo: mod === 'info',
    legacyFailMatch: null as MessageMatch | null,
    expectedScalar: null as number | null,
    expected: new Map<string, ExpectedSeries>(),
    expectedString: '',
    excludeFromRangeQuery: false,
    expectsNativeHistograms: false,
    expectedText: [] as string[],
  };
  let expectRangeVector = false;
  for (let j = 1; i + 1 < lines.length && lines[i + 1] !== ''; j++) {
    i++;
    const def = lines[i] as string;
    cmd.expectedText.push(def);
    if (cmd.legacyFail && (def.startsWith('expected_fail_message') || def.startsWith('expected_fail_regexp'))) {
      const regexp = def.startsWith('expected_fail_regexp');
      const m = parseMessageMatch(regexp ? 'regex' : 'msg', def.slice(regexp ? 20 : 21));
      cmd.legacyFailMatch = typeof m === 'string' ? fail(`${m} for expected_fail_regexp`) : m;
      break;
    }
    if (def.startsWith('expect range vector')) {
      const m = patExpectRange.exec(def) ?? fail(`invalid range vector definition ${JSON.stringify(def)}`);
      cmd.startMs = num(duration('start timestamp', m[1] as string));
      cmd.endMs = num(duration('end timestamp', m[2] as string));
      if (cmd.endMs < cmd.startMs)
        fail(`invalid test definition, end timestamp (${m[2]}) is before start timestamp (${m[1]})`);
      cmd.stepMs = num(duration('step', m[3] as string));
      cmd.evalMs = cmd.endMs;
      cmd.excludeFromRangeQuery = true;
      expectRangeVector = true;
      continue;
    }
    if (def.startsWith('expect string')) {
      const s = def.startsWith('expect string ') ? goUnquote(def.slice('expect string '.length)) : undefined;
      if (s === undefined) fail('expected string literal not valid - a correctly quoted string literal is required');
      cmd.expectedString = s as string;
      cmd.excludeFromRangeQuery = true;
      continue;
    }
    if (def.split(' ', 1)[0] === 'expect') {
      parseExpect(cmd, def, fail);
      j--;
      continue;
    }
    const scalar = parseGoNumber(def);
    if (scalar !== undefined) {
      cmd.expectedScalar = scalar;
      break;
    }
    const desc = seriesDesc(def, i, raise);
    if (desc.values.length > 1 && instant !== null && !expectRangeVector) {
      fail(
        "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query",
      );
    }
    if (def.includes('{{')) cmd.expectsNativeHistograms = true;
    cmd.expectedScalar = null;
    cmd.expected.set(desc.labels.key(), { pos: j, line: i + 1, labels: desc.labels, values: desc.values });
  }
  return [i, cmd];
}

type MutableEval = {
  fail: MessageMatch[];
  warn: MessageMatch[];
  info: MessageMatch[];
  noWarn: boolean;
  noInfo: boolean;
  ordered: boolean;
};

function parseExpect(cmd: MutableEval, def: string, fail: (reason: string) => never): void {
  const m =
    patExpect.exec(def) ?? fail('invalid expect statement, must match `expect <type> <match_type>: <string>` format');
  const type = m[1] as string;
  const match = parseMessageMatch(m[2], m[3]);
  if (typeof match === 'string') fail(`${match} for ${type}`);
  const mm = match as MessageMatch;
  if (type === 'fail') cmd.fail.push(mm);
  else if (type === 'warn') cmd.warn.push(mm);
  else if (type === 'info') cmd.info.push(mm);
  else if (type === 'no_warn') cmd.noWarn = true;
  else if (type === 'no_info') cmd.noInfo = true;
  else cmd.ordered = true;
  if (cmd.info.length > 0 && cmd.noInfo) fail('invalid expect lines, info and no_info cannot be used together');
  if (cmd.warn.length > 0 && cmd.noWarn) fail('invalid expect lines, warn and no_warn cannot be used together');
  if (cmd.fail.length > 1) fail('invalid expect lines, multiple expect fail lines are not allowed');
}
