import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/index.ts';
import { originForm, targetProblem, validHost } from './request-target.ts';
import { hostOnly, SiteTable } from './site.ts';

function table(yaml: string): SiteTable {
  const g = parseConfig(`gateway:\n  sites:\n${yaml}`, 'vigil.yml', {}).gateway;
  assert.ok(g);
  return new SiteTable(g);
}

describe('SiteTable', () => {
  const t = table(
    [
      '    - hosts: [app.test]',
      "      upstreams: [{ url: 'http://127.0.0.1:1' }]",
      "      routes: [{ path: /api/, upstreams: [{ url: 'http://127.0.0.1:2' }] }, { path: /api/v2/, upstreams: [{ url: 'http://127.0.0.1:3' }] }]",
      "    - hosts: ['*.wild.test']",
      "      upstreams: [{ url: 'http://127.0.0.1:1' }]",
      "    - hosts: ['*']",
      "      upstreams: [{ url: 'http://127.0.0.1:4' }]",
    ].join('\n'),
  );
  const cases: Array<[host: string, site: string]> = [
    ['app.test', 'app.test'],
    ['a.wild.test', '*.wild.test'],
    ['wild.test', '*'],
    ['other', '*'],
  ];
  for (const [host, site] of cases) it(`serves ${host} by ${site}`, () => assert.equal(t.lookup(host)?.name, site));

  it('routes by the longest path prefix and shares one pool per upstream URL', () => {
    const site = t.lookup('app.test');
    const port = (path: string) => site?.route(path).balancer.upstreams[0]?.port;
    assert.deepEqual(['/', '/api', '/api/x', '/api/v2/y'].map(port), [1, 1, 2, 3]);
    assert.equal(t.upstreams.size, 4);
  });
});

describe('hostOnly and targetProblem', () => {
  const hosts: Array<[string, string]> = [
    ['App.Test:8443', 'app.test'],
    ['app.test.', 'app.test'],
    ['[::1]:8443', '::1'],
    ['127.0.0.1', '127.0.0.1'],
  ];
  for (const [raw, want] of hosts) it(`host ${raw} is ${want}`, () => assert.equal(hostOnly(raw), want));
  const targets: Array<[string, boolean]> = [
    ['/a/b?c=d%20e', true],
    ['*', true],
    ['/caf%C3%A9', true],
    ['http://x/', false],
    ['/a%zz', false],
    ['/a%c3%28', true],
    ['/a?b=%', true],
    ['/a#b', false],
    ['/é', false],
    ['/a\tb', false],
  ];
  for (const [target, ok] of targets) {
    it(`${JSON.stringify(target)} is ${ok ? 'accepted' : 'refused'}`, () =>
      assert.equal(targetProblem(target) === undefined, ok));
  }
});

describe('validHost', () => {
  for (const [host, ok] of [
    ['app.test', true],
    ['app.test:8443', true],
    ['[::1]:8443', true],
    ['127.0.0.1', true],
    ['app.test%00', false],
    ['app test', false],
    ['app.test:x', false],
    ['a/b', false],
  ] as const) {
    it(`${host} is ${ok ? 'valid' : 'invalid'}`, () => assert.equal(validHost(host), ok));
  }
});

describe('originForm', () => {
  const cases: Array<[target: string, host: string, want: string | null | undefined]> = [
    ['/a', 'app.test', undefined],
    ['https://app.test/a?b', 'app.test', '/a?b'],
    ['http://App.Test:8443?q', 'app.test:8443', '/?q'],
    ['https://app.test', 'app.test', '/'],
    ['https://evil.test/a', 'app.test', null],
    ['https://user@app.test/a', 'app.test', null],
  ];
  for (const [target, host, want] of cases) {
    it(`${target} with Host ${host}`, () => assert.equal(originForm(target, host), want));
  }
});
