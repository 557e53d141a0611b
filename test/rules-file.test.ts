// Rule files: every problem reported with file:line:col, glob expansion of rule_files, and `vigil check rules`
// against `promtool check rules` on the same files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkConfigCommand, checkRulesCommand } from '../src/cli/check.ts';
import { embeddedRulesFile, expandRuleFiles, loadRuleFiles, parseRuleFile, RuleFileError } from '../src/rules/index.ts';

const fixtures = join(import.meta.dirname, 'rules-fixtures');
const promtool = '/usr/bin/promtool';

/** Runs `fn` with stdout and stderr captured. */
function capture(fn: () => number): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    return { code: fn(), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

describe('rule file validation', () => {
  it('reports every problem of a file at its line and column', () => {
    const r = parseRuleFile(readFileSync(join(fixtures, 'invalid.yml'), 'utf8'), 'invalid.yml');
    assert.equal(r.ok, false);
    const lines = r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
    assert.deepEqual(lines, [
      '4:17: group "a": rule 1, "bad name": invalid recording rule name: bad name',
      `7:9: group "a": rule 2, "ok": only one of 'record' and 'alert' must be set`,
      `9:9: group "a": rule 3: one of 'record' or 'alert' must be set`,
      '11:21: group "a": rule 4, "x": could not parse expression: 1:7: parse error: unclosed left parenthesis',
      '15:11: group "a": rule 5, "T": invalid label name: bad-label',
      '17:24: group "a": rule 5, "T": annotation "summary": template: __alert_T:1: function "nope" not defined',
      '20:19: group "a": rule 5, "T": annotation "desc": template: __alert_T:2: missing value for if',
      `23:9: group "a": rule 6, "y": invalid field 'for' in recording rule`,
      `24:9: group "a": rule 6, "y": invalid field 'annotations' in recording rule`,
      '28:23: group "a": rule 7, "z": could not parse expression: 2:13: parse error: unexpected ")" in subquery or range, expected ":" or "]"',
      `31:15: group "a": rule 8, "U": field 'expr' must be set in rule`,
      '32:9: group "a": rule 8: unknown key "unknown" (expected one of record, alert, expr, for, keep_firing_for, labels, annotations)',
      '33:11: groupname: "a" is repeated in the same file',
      '35:11: groupname must not be empty',
      '36:15: group "": interval: expected a duration like 1m, got "1x"',
    ]);
  });

  const cases: [string, string, string][] = [
    [
      'YAML syntax',
      'groups:\n  - name: [a\n',
      '3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented',
    ],
    ['duplicate keys', 'groups:\n  - name: a\n    name: b\n', '3:5: invalid YAML: Map keys must be unique'],
    ['groups not a list', 'groups: 3\n', '1:9: groups: expected a list, got "3"'],
    ['unknown top-level key', 'rules: []\n', '1:1: rule file: unknown key "rules" (expected one of groups)'],
    [
      'label template in an alert',
      'groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up\n        labels: { x: "{{ .Foo" }\n',
      '6:30: group "a": rule 1, "A": label "x": template: __alert_A:1: unclosed action',
    ],
    [
      '__name__ as a label',
      'groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        labels: { __name__: x }\n',
      '6:19: group "a": rule 1, "r": invalid label name: __name__',
    ],
    [
      'keep_firing_for on a recording rule',
      'groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        keep_firing_for: 1m\n',
      `6:9: group "a": rule 1, "r": invalid field 'keep_firing_for' in recording rule`,
    ],
    [
      'negative limit',
      'groups:\n  - name: a\n    limit: -1\n    rules: []\n',
      '3:12: group "a": limit: expected an integer >= 0, got "-1"',
    ],
  ];
  for (const [name, yaml, want] of cases) {
    it(`reports ${name}`, () => {
      const r = parseRuleFile(yaml, 'f.yml');
      assert.equal(r.ok, false, name);
      const first = r.ok ? '' : `${r.issues[0]?.line}:${r.issues[0]?.col}: ${r.issues[0]?.message}`;
      assert.ok(first.startsWith(want), `${first}\n  does not start with\n${want}`);
    });
  }

  it('accepts an empty file and a file without groups', () => {
    assert.deepEqual(parseRuleFile('', 'e.yml'), { ok: true, groups: [] });
    assert.deepEqual(parseRuleFile('groups: []\n', 'e.yml'), { ok: true, groups: [] });
  });

  it('merges group labels under rule labels and prints the expression as Prometheus does', () => {
    const r = parseRuleFile(
      'groups:\n  - name: a\n    labels: { team: x, env: prod }\n    rules:\n      - record: r\n        expr: sum   by(job)(up)\n        labels: { team: y }\n',
      'f.yml',
    );
    assert.ok(r.ok);
    const rule = r.groups[0]?.rules[0];
    assert.equal(rule?.labels.toString(), '{env="prod", team="y"}');
    assert.equal(rule?.query, 'sum by (job) (up)');
  });
});

describe('rule_files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('expands globs relative to the config directory, in pattern order, without duplicates', () => {
    mkdirSync(join(dir, 'rules'));
    for (const f of ['b.yml', 'a.yml', 'c.yaml']) writeFileSync(join(dir, 'rules', f), 'groups: []\n');
    writeFileSync(join(dir, 'first.yml'), 'groups: []\n');
    assert.deepEqual(expandRuleFiles(['first.yml', 'rules/*.yml', 'rules/a.yml', 'missing/*.yml'], dir), [
      join(dir, 'first.yml'),
      join(dir, 'rules/a.yml'),
      join(dir, 'rules/b.yml'),
    ]);
    assert.deepEqual(expandRuleFiles([], dir), [embeddedRulesFile]);
    assert.throws(() => expandRuleFiles(['rules/[a.yml'], dir), RuleFileError);
  });

  it('loads the embedded default rules by name, and names unreadable files', () => {
    assert.equal(loadRuleFiles([embeddedRulesFile])[0]?.name, 'vigil-default');
    assert.throws(
      () => loadRuleFiles([join(dir, 'nope.yml')]),
      (e: unknown) =>
        e instanceof RuleFileError && e.message === `${join(dir, 'nope.yml')}: cannot read the rule file: no such file`,
    );
  });
});

describe('vigil check rules', () => {
  const good = ['alerts.yml', 'recording.yml'].map((f) => join(fixtures, f));

  it('prints Checking and SUCCESS with the rule count, as promtool', () => {
    const r = capture(() => checkRulesCommand(good));
    assert.equal(r.code, 0, r.err);
    const counts = [...r.out.matchAll(/SUCCESS: (\d+) rules found/g)].map((m) => Number(m[1]));
    assert.equal(r.out.split('\n')[0], `Checking ${good[0]}`);
    if (existsSync(promtool)) {
      const p = spawnSync(promtool, ['check', 'rules', ...good], { encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr);
      assert.deepEqual(
        counts,
        [...p.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].map((m) => Number(m[1])),
      );
      assert.equal(r.out, p.stdout);
    }
  });

  it('runs from vigil check config on the rule files the config names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-check-'));
    try {
      writeFileSync(join(dir, 'vigil.yml'), `rule_files:\n  - ${join(fixtures, 'alerts.yml')}\n  - bad.yml\n`);
      writeFileSync(join(dir, 'bad.yml'), 'groups:\n  - name: g\n    rules:\n      - record: r\n');
      const r = capture(() => checkConfigCommand(join(dir, 'vigil.yml')));
      assert.equal(r.code, 1);
      assert.match(
        r.out,
        /SUCCESS: 0 scrape configs, 2 rule files, 0 receivers\n\nChecking .*alerts\.yml\n {2}SUCCESS: 3 rules found/,
      );
      assert.match(r.err, /bad\.yml:4:9: group "g": rule 1, "r": field 'expr' must be set in rule/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every problem and exits 1, as promtool exits 1', () => {
    const bad = join(fixtures, 'invalid.yml');
    const r = capture(() => checkRulesCommand([good[0] as string, bad]));
    assert.equal(r.code, 1);
    assert.match(r.out, /SUCCESS/);
    assert.match(r.err, /^ {2}FAILED:\n/);
    assert.match(r.err, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:17: `, 'm'));
    assert.equal(r.err.split('\n').filter((l) => l.startsWith(bad)).length, 15);
    if (existsSync(promtool)) assert.equal(spawnSync(promtool, ['check', 'rules', bad]).status, 1);
  });
});
