import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { list, object, withDefault } from '../schema.ts';
import { issuesOf } from '../testing.ts';
import { checkRemoteWriteConfigs, remoteWriteConfig } from './remote-write.ts';

const doc = object(
  { remote_write: withDefault(list(remoteWriteConfig), () => []) },
  { check: (v, report) => checkRemoteWriteConfigs(v.remote_write, report) },
);

describe('remote_write', () => {
  it('applies Prometheus defaults', () => {
    const rw = decodeYaml(doc, 'remote_write:\n  - url: http://mimir:9009/api/v1/push\n').remote_write[0];
    assert.equal(rw?.url, 'http://mimir:9009/api/v1/push');
    assert.equal(rw?.remote_timeout, 30_000);
    assert.equal(rw?.send_exemplars, false);
    assert.equal(rw?.enable_http2, false);
    assert.equal(rw?.follow_redirects, true);
    assert.deepEqual(rw?.headers, {});
    assert.deepEqual(rw?.write_relabel_configs, []);
    assert.equal(rw?.queue_config.capacity, 10_000);
    assert.equal(rw?.queue_config.max_shards, 50);
    assert.deepEqual(rw?.metadata_config, { send: true, send_interval: 60_000, max_samples_per_send: 500 });
  });

  it('decodes headers, names and tuning', () => {
    const text = [
      'remote_write:',
      '  - url: https://mimir.example.org/api/v1/push',
      '    name: mimir',
      '    headers:',
      '      X-Scope-OrgID: home',
      '    send_exemplars: true',
      '    enable_http2: true',
      '    queue_config:',
      '      retry_on_http_429: true',
      '      min_backoff: 100ms',
      '    metadata_config:',
      '      send: false',
      '',
    ].join('\n');
    const rw = decodeYaml(doc, text).remote_write[0];
    assert.equal(rw?.name, 'mimir');
    assert.equal(rw?.headers['X-Scope-OrgID'], 'home');
    assert.equal(rw?.enable_http2, true);
    assert.equal(rw?.queue_config.retry_on_http_429, true);
    assert.equal(rw?.queue_config.min_backoff, 100);
    assert.equal(rw?.metadata_config.send, false);
  });

  const bad: Array<{ name: string; yaml: string; issues: string[] }> = [
    {
      name: 'missing url',
      yaml: 'remote_write:\n  - name: a\n',
      issues: ['prometheus.yml:2:5: remote_write[0].url: missing (expected a URL (http or https))'],
    },
    {
      name: 'url with another scheme',
      yaml: 'remote_write:\n  - url: grpc://mimir:9095\n',
      issues: ['prometheus.yml:2:10: remote_write[0].url: expected a URL (http or https), got "grpc://mimir:9095"'],
    },
    {
      name: 'reserved header',
      yaml: 'remote_write:\n  - url: http://a/push\n    headers:\n      User-Agent: me\n',
      issues: [
        'prometheus.yml:4:19: remote_write[0].headers.User-Agent: User-Agent is a reserved header. It must not be changed',
      ],
    },
    {
      name: 'authorization header',
      yaml: 'remote_write:\n  - url: http://a/push\n    headers:\n      authorization: Bearer x\n',
      issues: [
        'prometheus.yml:4:22: remote_write[0].headers.authorization: authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, or azuread parameter',
      ],
    },
    {
      name: 'duplicate names',
      yaml: 'remote_write:\n  - url: http://a/push\n    name: x\n  - url: http://b/push\n    name: x\n',
      issues: ['prometheus.yml:5:11: remote_write[1].name: found multiple remote write configs with job name "x"'],
    },
    {
      name: 'unsupported auth kind',
      yaml: 'remote_write:\n  - url: http://a/push\n    sigv4:\n      region: eu-west-1\n',
      issues: ['prometheus.yml:3:5: remote_write[0].sigv4: unknown key'],
    },
    {
      name: 'bad queue setting',
      yaml: 'remote_write:\n  - url: http://a/push\n    queue_config:\n      max_shards: lots\n',
      issues: ['prometheus.yml:4:19: remote_write[0].queue_config.max_shards: expected an integer >= 0, got "lots"'],
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => assert.deepEqual(issuesOf(doc, c.yaml), c.issues));
  }

  it('allows unnamed entries to repeat', () => {
    const v = decodeYaml(doc, 'remote_write:\n  - url: http://a/push\n  - url: http://a/push\n');
    assert.equal(v.remote_write.length, 2);
  });
});
