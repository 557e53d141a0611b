import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, redactedYaml } from '../config.ts';

function problems(text: string): string[] {
  try {
    parseConfig(text, 'vigil.yml', {});
  } catch (err) {
    return (err as Error).message.split('\n').map((l) => l.replace(/^vigil\.yml:/, ''));
  }
  assert.fail('expected problems');
}

describe('gateway section', () => {
  it('is absent unless given, and fills defaults like nginx users expect', () => {
    assert.equal(parseConfig('', 'vigil.yml', {}).gateway, undefined);
    const g = parseConfig(
      'gateway:\n  sites:\n    - hosts: [App.Example.com]\n      upstreams: [{ url: "http://127.0.0.1:3000" }]\n',
      '/etc/vigil/vigil.yml',
      {},
    ).gateway;
    assert.ok(g);
    assert.equal(g.listen, ':8443');
    assert.equal(g.redirect_listen, ':8080');
    assert.equal(g.metrics_listen, '127.0.0.1:9145');
    assert.deepEqual(g.trusted_proxies, []);
    assert.deepEqual(g.hsts, { max_age: 180 * 86_400_000, include_subdomains: false, preload: false });
    assert.equal(g.limits.max_header_bytes, 16 * 1024);
    assert.equal(g.limits.max_body_bytes, 10 * 1024 * 1024);
    assert.equal(g.limits.header_timeout, 10_000);
    const site = g.sites[0];
    assert.deepEqual(site?.hosts, ['app.example.com']);
    assert.equal(site?.balance, 'round_robin');
    assert.deepEqual(site?.routes, []);
    assert.deepEqual(
      site?.waf,
      { enabled: true, mode: 'blocking', paranoia_level: 1, rules_before_crs: [], rules_after_crs: [], exclusions: [] },
      'the WAF is on by default',
    );
    assert.deepEqual(g.audit_log, {});
  });

  it('reads the full example, resolving relative files against the config directory', () => {
    const text = `gateway:
  listen: ':8443'
  redirect_listen: none
  trusted_proxies: [10.0.0.0/8, '::1']
  hsts: { max_age: 180d, include_subdomains: true }
  limits: { max_header_bytes: 16KiB, max_header_count: 100, max_body_bytes: 10MiB, header_timeout: 10s, body_timeout: 60s, idle_timeout: 60s }
  sites:
    - hosts: [app.example.com, '*.app.example.com']
      tls: { cert_file: certs/app.crt, key_file: /abs/app.key }
      upstreams: [{ url: 'http://127.0.0.1:3000' }, { url: 'http://127.0.0.1:3001' }]
      balance: least_conn
      health_check: { path: /healthz, interval: 10s, timeout: 2s }
      routes: [{ path: /api/, upstreams: [{ url: 'https://10.0.0.5:8443' }] }]
      max_body_bytes: 1MiB
      waf:
        enabled: true
        mode: detection_only
        paranoia_level: 2
        crs_dir: ../shared/crs
        rules_after_crs: [exclusions.conf]
        exclusions:
          - { rule_ids: [942100, 920000-920099], targets: ['ARGS:q'], paths: [/search], reason: free text }
          - { rule_tags: [attack-xss] }
  audit_log: { path: logs/audit.log, marker_header: X-CRS-Test }
`;
    const g = parseConfig(text, '/etc/vigil/vigil.yml', {}).gateway;
    assert.ok(g);
    assert.equal(g.redirect_listen, null);
    const s = g.sites[0];
    assert.equal(s?.tls?.cert_file, '/etc/vigil/certs/app.crt');
    assert.equal(s?.tls?.key_file, '/abs/app.key');
    assert.equal(s?.max_body_bytes, 1024 * 1024);
    assert.equal(s?.health_check?.unhealthy_threshold, 2);
    assert.equal(s?.routes[0]?.path, '/api/');
    assert.deepEqual(s?.waf, {
      enabled: true,
      mode: 'detection_only',
      paranoia_level: 2,
      crs_dir: '/etc/shared/crs',
      rules_before_crs: [],
      rules_after_crs: ['/etc/vigil/exclusions.conf'],
      exclusions: [
        {
          rule_ids: ['942100', '920000-920099'],
          rule_tags: [],
          targets: ['ARGS:q'],
          paths: ['/search'],
          reason: 'free text',
        },
        { rule_ids: [], rule_tags: ['attack-xss'], paths: [] },
      ],
    });
    assert.deepEqual(g.audit_log, { path: '/etc/vigil/logs/audit.log', marker_header: 'X-CRS-Test' });
    assert.match(redactedYaml(parseConfig(text, '/etc/vigil/vigil.yml', {})), /redirect_listen: none/);
  });

  it('reports every problem at file:line:col', () => {
    const text = `gateway:
  listen: 8443
  trusted_proxies: [10.0.0.0/33, bogus]
  hsts: { max_age: forever }
  sites:
    - hosts: [a.test]
      upstreams: [{ url: 'ftp://x' }, { url: 'http://x/path' }]
      balance: random
      routes: [{ path: api, upstreams: [] }, { path: /a/ }]
    - hosts: [A.test, 'bad host']
      tls: { cert_file: a.crt }
      waf: { paranoia_level: 5, mode: block }
    - upstreams: [{ url: 'http://y' }]
`;
    assert.deepEqual(problems(text), [
      '2:11: gateway.listen: expected host:port like :8443, got 8443',
      '3:21: gateway.trusted_proxies[0]: expected an IP address or CIDR block like 10.0.0.0/8, got "10.0.0.0/33"',
      '3:34: gateway.trusted_proxies[1]: expected an IP address or CIDR block like 10.0.0.0/8, got "bogus"',
      '4:20: gateway.hsts.max_age: expected a duration like 15s, got "forever"',
      '7:26: gateway.sites[0].upstreams[0].url: expected a URL (http or https), got "ftp://x"',
      '7:46: gateway.sites[0].upstreams[1].url: an upstream URL cannot have a path',
      '8:16: gateway.sites[0].balance: expected one of "round_robin", "least_conn", got "random"',
      '9:24: gateway.sites[0].routes[0].path: expected a path starting with /, got "api"',
      '9:40: gateway.sites[0].routes[0].upstreams: expected at least 1 item(s), got 0',
      '9:46: gateway.sites[0].routes[1].upstreams: missing (expected a list of an upstream ({ url: ... }))',
      '10:7: gateway.sites[1].upstreams: missing (expected a list of an upstream ({ url: ... }))',
      '10:23: gateway.sites[1].hosts[1]: expected a host name like app.example.com, *.example.com or *, got "bad host"',
      '11:25: gateway.sites[1].tls.cert_file: cert_file and key_file must be set together',
      '12:30: gateway.sites[1].waf.paranoia_level: expected an integer from 1 to 4, got 5',
      '12:39: gateway.sites[1].waf.mode: expected one of "blocking", "detection_only", got "block"',
      '13:7: gateway.sites[2].hosts: missing (expected a list of a host name like app.example.com, *.example.com or *)',
    ]);
    assert.deepEqual(
      problems(
        'gateway:\n  sites:\n    - hosts: [a.test]\n      upstreams: [{ url: "http://x" }]\n    - hosts: [A.TEST]\n      upstreams: [{ url: "http://x" }]\n',
      ),
      ['5:15: gateway.sites[1].hosts[0]: host a.test is also served by sites[0]'],
    );
    assert.deepEqual(problems('gateway:\n  listen: ":1"\n'), [
      '2:3: gateway.sites: missing (expected a list of a site ({ hosts, upstreams, ... }))',
    ]);
  });
});
