import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../../decode.ts';
import { formatMatcher, type Matcher, parseMatchers } from './matchers.ts';
import { alertmanagerYml, issuesOf } from './testing.ts';

describe('matchers', () => {
  const good: Array<{ input: string; want: Matcher[] }> = [
    { input: 'severity="critical"', want: [{ name: 'severity', type: '=', value: 'critical' }] },
    { input: 'alertname=~"A|B"', want: [{ name: 'alertname', type: '=~', value: 'A|B' }] },
    { input: 'team != ops ', want: [{ name: 'team', type: '!=', value: 'ops' }] },
    { input: 'instance!~"web-[0-9]+"', want: [{ name: 'instance', type: '!~', value: 'web-[0-9]+' }] },
    { input: 'empty=""', want: [{ name: 'empty', type: '=', value: '' }] },
    { input: 'msg="say \\"hi, all\\"\\n"', want: [{ name: 'msg', type: '=', value: 'say "hi, all"\n' }] },
    { input: 'path="C:\\temp"', want: [{ name: 'path', type: '=', value: 'C:\\temp' }] },
    { input: 'job:rule=x', want: [{ name: 'job:rule', type: '=', value: 'x' }] },
    {
      input: '{a="b", c!~"x.*", }',
      want: [
        { name: 'a', type: '=', value: 'b' },
        { name: 'c', type: '!~', value: 'x.*' },
      ],
    },
  ];
  for (const c of good) {
    it(`parses ${c.input}`, () => assert.deepEqual(parseMatchers(c.input), c.want));
  }

  const bad: Array<{ input: string; error: string | RegExp }> = [
    { input: '1abc="x"', error: 'bad matcher format: 1abc="x"' },
    { input: 'severity', error: 'bad matcher format: severity' },
    { input: 'a="b', error: 'matcher value contains unescaped double quote: "b' },
    { input: 'a=b"c', error: 'matcher value contains unescaped double quote: b"c' },
    { input: 'a="b",,c="d"', error: 'bad matcher format: ' },
    { input: 'a=~"("', error: /^invalid regular expression "\(": / },
  ];
  for (const c of bad) {
    it(`rejects ${c.input}`, () => {
      const got = parseMatchers(c.input);
      assert.ok(!Array.isArray(got));
      if (typeof c.error === 'string') assert.equal(got.error, c.error);
      else assert.match(got.error, c.error);
    });
  }

  it('decodes a matchers list sorted, reports bad items at their position, and prints them back', () => {
    const v = decodeYaml(
      alertmanagerYml,
      'route:\n  receiver: a\n  routes:\n    - matchers: [z="1", \'{b=~"x", a!="y"}\']\nreceivers:\n  - name: a\n',
    );
    const ms = v.route?.routes[0]?.matchers ?? [];
    assert.deepEqual(ms.map(formatMatcher), ['a!="y"', 'b=~"x"', 'z="1"']);
    assert.deepEqual(issuesOf(alertmanagerYml, 'route:\n  receiver: a\n  routes:\n    - matchers: [ok=1, "bad"]\n'), [
      'alertmanager.yml:4:24: route.routes[0].matchers[1]: bad matcher format: bad',
    ]);
  });
});
