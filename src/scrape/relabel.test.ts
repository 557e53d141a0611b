import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type RelabelConfig } from '../config/index.ts';
import { Labels } from '../model/index.ts';
import { RelabelError } from './errors.ts';
import { compileRelabel } from './relabel.ts';
import { decodeRules, decodeRulesText, loadRelabelCases } from './testdata/relabel/cases.ts';

const cases = loadRelabelCases();

describe('relabel cases (testdata/relabel/cases.yaml)', () => {
  it('has a case for every action', () => {
    const seen = new Set(
      cases.filter((c) => c.error === undefined).flatMap((c) => decodeRules(c).map((r) => r.action)),
    );
    const all = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep'];
    for (const a of [...all, 'lowercase', 'uppercase']) assert.ok(seen.has(a as RelabelConfig['action']), a);
    assert.ok(cases.length >= 60, `${cases.length} cases`);
  });

  for (const c of cases) {
    it(c.name, () => {
      if (c.error !== undefined) {
        const { rule, field } = c.error;
        // A regex Go refuses is refused by the config already, naming its position; the rest at compilation.
        assert.throws(
          () => compileRelabel(decodeRules(c)),
          (err) =>
            (err instanceof RelabelError &&
              err.code === 'RELABEL_INVALID' &&
              err.rule === rule &&
              err.field === field) ||
            (err instanceof ConfigError && field === 'regex' && err.message.includes(`relabel_configs[${rule}].regex`)),
        );
        return;
      }
      const rules = decodeRules(c);
      const input = Labels.fromObject(c.labels);
      const got = compileRelabel(rules).relabel(input);
      if (c.want === 'dropped') assert.equal(got, null);
      else assert.deepEqual(got?.toObject(), c.want);
      assert.deepEqual(input.toObject(), c.labels, 'the input is not modified');
    });
  }

  it('decodes Go regex syntax ((?i), \\pL, [[:alpha:]], \\Q…\\E) in the config as Go does', () => {
    for (const c of cases.filter((x) => x.goSyntax)) decodeRulesText(c.rules);
  });
});

describe('compileRelabel', () => {
  const rules = (yaml: string) => compileRelabel(decodeRulesText(yaml));

  it('returns the input object when the rules change nothing', () => {
    const input = Labels.fromObject({ a: 'x', b: 'x' });
    const r = rules(`
- source_labels: [a]
  target_label: b
- source_labels: [a]
  regex: x
  action: keep
- regex: zzz
  action: labeldrop
- target_label: c
  replacement: v
- target_label: c
  replacement: ''`);
    assert.equal(r.relabel(input), input);
    assert.equal(compileRelabel([]).relabel(input), input);
  });

  it('reuses its scratch across calls without leaking state', () => {
    const r = rules(`
- source_labels: [a]
  target_label: seen
- source_labels: [a]
  regex: drop
  action: drop`);
    assert.equal(r.relabel(Labels.fromObject({ a: 'drop', b: '1' })), null);
    assert.deepEqual(r.relabel(Labels.fromObject({ a: 'x' }))?.toObject(), { a: 'x', seen: 'x' });
    assert.deepEqual(r.relabel(Labels.fromObject({ c: 'y' }))?.toObject(), { c: 'y' });
    assert.equal(r.size, 2);
  });

  it('keeps the result sorted by name as labels are added before, between and after others', () => {
    const r = rules(`
- {target_label: m, replacement: '1'}
- {target_label: A, replacement: '2'}
- {target_label: zz, replacement: '3'}
- {target_label: _x, replacement: '4'}`);
    const out = r.relabel(Labels.fromObject({ b: 'x', y: 'y' }));
    const names: string[] = [];
    out?.forEach((n) => {
      names.push(n);
    });
    assert.deepEqual(names, ['A', '_x', 'b', 'm', 'y', 'zz']);
  });

  // The fast paths skip RE2 for some shapes; `(?:)` appended forces RE2 and must not change any answer.
  const shapes = ['(.*)', '.*', '(.+)', '.+', 'foo', '', 'a|bc|foo', 'fo(.*)', 'fo(.+)', 'fo.*', 'fo.+'];
  const values = ['', 'foo', 'fo', 'foox', 'fo\nx', 'x\ny', '\n', 'a', 'bc', 'ab', 'föö', '😀', 'fo😀'];
  for (const shape of shapes) {
    it(`gives the same answers for ${JSON.stringify(shape)} without RE2 as with it`, () => {
      const run = (regex: string) => {
        const r = compileRelabel(
          decodeRulesText(`
- source_labels: [v]
  regex: ${JSON.stringify(regex)}
  target_label: out
  replacement: '[$0|$1|$2]'
- source_labels: [v]
  regex: ${JSON.stringify(regex)}
  action: keep`),
        );
        return values.map((v) => r.relabel(Labels.fromObject({ v })));
      };
      assert.deepEqual(
        run(shape).map((l) => l?.toObject() ?? null),
        run(`${shape}(?:)`).map((l) => l?.toObject() ?? null),
      );
    });
  }

  it('never throws while relabeling, whatever the labels', () => {
    const r = rules(`
- source_labels: [a, b]
  regex: '(?P<x>.*);(.*)'
  target_label: '\${x}_$2'
  replacement: '$1$x\${2}$$'
- {regex: '(.*)', replacement: 'p_$1', action: labelmap}
- {source_labels: [a], target_label: h, modulus: 7, action: hashmod}
- {source_labels: [a], target_label: l, action: lowercase}
- {source_labels: [b], target_label: u, action: uppercase}
- {regex: 'p_p_.*', action: labeldrop}`);
    const alphabet = ['a', 'b', 'A', '_', ';', '\n', '$', '{', '}', 'é', 'İ', 'ß', '😀', '\ud800', '1', ' '];
    let seed = 1;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const word = () => Array.from({ length: next() % 6 }, () => alphabet[next() % alphabet.length]).join('');
    for (let i = 0; i < 500; i++) {
      const out = r.relabel(Labels.fromObject({ a: word(), b: word(), [`n${i % 5}`]: word() }));
      assert.ok(out !== null);
    }
  });

  it('answers name-matching rules correctly past the size of their per-name memo', () => {
    const drop = rules(`- {regex: 'n[0-9]*7', action: labeldrop}`);
    const map = rules(`- {regex: 'n([0-9]*3)', replacement: 'm_$1', action: labelmap}`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5000; i++) {
        const input = Labels.fromObject({ [`n${i}`]: 'v', k: 'w' });
        const want = i % 10 === 7 ? { k: 'w' } : { [`n${i}`]: 'v', k: 'w' };
        assert.deepEqual(drop.relabel(input)?.toObject(), want);
        const mapped = i % 10 === 3 ? { [`m_${i}`]: 'v' } : {};
        assert.deepEqual(map.relabel(input)?.toObject(), { [`n${i}`]: 'v', k: 'w', ...mapped });
      }
    }
  });

  it('throws RelabelError for a hashmod modulus it cannot represent exactly', () => {
    const config: RelabelConfig = {
      source_labels: ['a'],
      separator: ';',
      regex: '(.*)',
      modulus: 2 ** 64,
      target_label: 'h',
      replacement: '$1',
      action: 'hashmod',
    };
    assert.throws(
      () => compileRelabel([config]),
      (err) => err instanceof RelabelError && err.field === 'modulus' && err.rule === 0,
    );
  });
});
