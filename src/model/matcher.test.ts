import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatcherError } from './errors.ts';
import { Matcher, type MatchType } from './matcher.ts';

describe('Matcher', () => {
  const cases: Array<[MatchType, string, string, boolean]> = [
    ['=', 'job', 'node', true],
    ['=', 'job', 'nod', false],
    ['!=', 'job', 'node', false],
    ['=~', 'job', 'no.*', true],
    ['=~', 'job', 'o', false],
    ['=~', 'job', 'node|api', true],
    ['=~', 'job', 'api|web', false],
    ['=~', 'job', '.*', true],
    ['=~', 'job', '.+', true],
    ['=~', 'job', 'n(o|a)de', true],
    ['=~', 'job', '(?i)NODE', true],
    ['=~', 'job', 'NODE', false],
    ['=~', 'job', '(?P<x>n)ode', true],
    ['!~', 'job', 'no.*', false],
    ['!~', 'job', 'api', true],
    ['=~', 'job', 'a\\|b', false],
  ];
  for (const [type, name, value, want] of cases) {
    it(`${name}${type}${JSON.stringify(value)} on "node" is ${want}`, () => {
      assert.equal(Matcher.create(type, name, value).matches('node'), want);
    });
  }

  it('anchors regexes and lets . match newlines, as Prometheus does', () => {
    assert.equal(Matcher.create('=~', 'a', 'b').matches('abc'), false);
    assert.equal(Matcher.create('=~', 'a', 'a.c').matches('a\nc'), true);
    assert.equal(Matcher.create('=~', 'a', 'x.*').matches('x\ny'), true);
  });

  it('knows which matchers select series without the label', () => {
    assert.equal(Matcher.create('=', 'a', '').matchesEmpty(), true);
    assert.equal(Matcher.create('=~', 'a', '.*').matchesEmpty(), true);
    assert.equal(Matcher.create('=~', 'a', '.+').matchesEmpty(), false);
    assert.equal(Matcher.create('!=', 'a', 'x').matchesEmpty(), true);
  });

  it('refuses regexes RE2 cannot compile, including backreferences', () => {
    for (const bad of ['(a', '(a)\\1', 'a{2,1}']) {
      assert.throws(
        () => Matcher.create('=~', 'job', bad),
        (err: unknown) => {
          assert.ok(err instanceof MatcherError);
          assert.match(err.message, /^invalid regular expression/);
          return true;
        },
      );
    }
  });

  it('runs catastrophic-backtracking patterns in linear time', () => {
    const m = Matcher.create('=~', 'a', '(a+)+b');
    assert.equal(m.matches(`${'a'.repeat(5000)}c`), false);
  });

  it('prints in PromQL notation', () => {
    assert.equal(Matcher.create('!~', 'job', 'a"b').toString(), 'job!~"a\\"b"');
  });
});
