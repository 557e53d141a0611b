// Every query of upstream's PromQL test suite (../shared/conformance/promql/testdata/*.test) through the parser:
// each must parse with all feature gates on (upstream's test runner rejects a file whose queries do not parse),
// print, and parse again to the same tree; an expected failure that is a parse error must be exactly that error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dumpExpr } from './ast-dump.ts';
import { ParseError } from './errors.ts';
import { parseExpr } from './parser.ts';
import { allFeatures } from './parser-state.ts';
import { exprToString } from './printer.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const testdata = resolve(root, '..', 'shared', 'conformance', 'promql', 'testdata');

// The command patterns of upstream's promqltest runner.
const evalInstant = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const evalRange = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const expectFail = /^expect\s+fail(?:\s+(msg|regex):\s*(.*))?$/;
const legacyFail = /^expected_fail_(message|regexp)\s+(.*)$/;
const command = /^(load|clear|eval)/;

interface Case {
  readonly file: string;
  readonly line: number;
  readonly expr: string;
  /** The query is expected to fail (`eval_fail`, `expect fail`). */
  readonly fail: boolean;
  readonly failMessage?: string;
  readonly failRegexp?: string;
}

/** The queries of one test file, with what is expected of their failure. */
function casesOf(file: string): Case[] {
  const lines = readFileSync(join(testdata, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .map((l) => (l.startsWith('#') ? '' : l));
  const cases: Case[] = [];
  for (const [i, line] of lines.entries()) {
    const m = evalInstant.exec(line) ?? evalRange.exec(line);
    if (m === null) continue;
    const kind = m[1];
    let fail = kind === 'fail';
    let failMessage: string | undefined;
    let failRegexp: string | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] as string;
      if (next === '' || command.test(next)) break;
      const f = expectFail.exec(next) ?? legacyFail.exec(next);
      if (f === null) continue;
      fail = true;
      if (f[1] === 'msg' || f[1] === 'message') failMessage = (f[2] ?? '').trim();
      if (f[1] === 'regex' || f[1] === 'regexp') failRegexp = (f[2] ?? '').trim();
    }
    cases.push({ file, line: i + 1, expr: m[m.length - 1] as string, fail, failMessage, failRegexp });
  }
  return cases;
}

const totals = { parsed: 0, failed: 0, skipped: 0, parseErrorExpectations: 0 };
const failures: string[] = [];

describe('upstream conformance queries', () => {
  it('finds the test data', () => {
    assert.ok(existsSync(testdata), `no PromQL test data at ${testdata}`);
  });
  const files = existsSync(testdata) ? readdirSync(testdata).filter((f) => f.endsWith('.test')) : [];
  for (const file of files.sort()) {
    it(file, () => {
      const problems: string[] = [];
      for (const c of casesOf(file)) {
        const where = `${c.file}:${c.line}: ${c.expr}`;
        const expectsParseError = c.failMessage?.includes('parse error') ?? false;
        if (expectsParseError) totals.parseErrorExpectations++;
        try {
          const expr = parseExpr(c.expr, allFeatures);
          const printed = exprToString(expr);
          const again = parseExpr(printed, allFeatures);
          const a = dumpExpr(expr, { positions: false });
          const b = dumpExpr(again, { positions: false });
          if (a !== b) problems.push(`${where}\n    printed as ${printed}\n    tree  ${a}\n    again ${b}`);
          else if (expectsParseError) problems.push(`${where}\n    parsed, but expected ${c.failMessage}`);
          else {
            totals.parsed++;
            continue;
          }
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          if (expectsParseError && err.message === c.failMessage) {
            totals.parsed++;
            continue;
          }
          problems.push(`${where}\n    ${err.message}`);
        }
        totals.failed++;
      }
      failures.push(...problems);
      assert.deepEqual(problems, []);
    });
  }
});

after(() => {
  console.log(
    `conformance queries: ${totals.parsed} parsed, ${totals.failed} failed, ${totals.skipped} skipped ` +
      `(${totals.parseErrorExpectations} expected failures are parse errors)`,
  );
  for (const f of failures) console.log(`  FAIL ${f}`);
});
