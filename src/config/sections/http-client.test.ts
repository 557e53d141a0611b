import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { object, optional, str } from '../schema.ts';
import { issuesOf } from '../testing.ts';
import { checkHttpClient, httpClientConfig, httpClientFields, secretUrlField } from './http-client.ts';

/** The fields spread into a job-like object, as scrape and remote-write configs use them. */
const job = object({ job_name: optional(str()), ...httpClientFields }, { check: checkHttpClient });

describe('HTTP client config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-http-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies Prometheus defaults', () => {
    const v = decodeYaml(httpClientConfig, '');
    assert.equal(v.follow_redirects, true);
    assert.equal(v.enable_http2, true);
    assert.equal(v.proxy_from_environment, false);
    assert.equal(v.tls_config.insecure_skip_verify, false);
    assert.equal(v.basic_auth, undefined);
    assert.equal(v.authorization, undefined);
  });

  it('reads secrets inline, from environment variables and from *_file keys', () => {
    writeFileSync(join(dir, 'token'), 'tok-123\n');
    writeFileSync(join(dir, 'client.key'), '-----BEGIN KEY-----\n');
    const text = [
      'job_name: a',
      'basic_auth:',
      '  username: prometheus',
      `  password: \${SCRAPE_PW}`,
      'tls_config:',
      '  cert_file: client.crt',
      '  key_file: client.key',
      '  min_version: TLS12',
      '',
    ].join('\n');
    const v = decodeYaml(job, text, { file: join(dir, 'prometheus.yml'), env: { SCRAPE_PW: 'pw' } });
    assert.equal(v.basic_auth?.username?.reveal(), 'prometheus');
    assert.equal(v.basic_auth?.password?.reveal(), 'pw');
    assert.equal(v.tls_config.key?.reveal(), '-----BEGIN KEY-----');
    assert.equal(v.tls_config.min_version, 'TLS12');

    const a = decodeYaml(job, 'authorization:\n  credentials_file: token\n', { file: join(dir, 'prometheus.yml') });
    assert.equal(a.authorization?.type, 'Bearer');
    assert.equal(a.authorization?.credentials?.reveal(), 'tok-123');
    const t = decodeYaml(job, 'authorization:\n  type: "  Token "\n  credentials: x\n');
    assert.equal(t.authorization?.type, 'Token');
    const b = decodeYaml(job, 'bearer_token_file: token\n', { file: join(dir, 'prometheus.yml') });
    assert.equal(b.bearer_token?.reveal(), 'tok-123');
  });

  const bad: Array<{ name: string; yaml: string; issues: string[] }> = [
    {
      name: 'basic_auth with bearer_token',
      yaml: 'basic_auth:\n  username: a\nbearer_token: t\n',
      issues: [
        'prometheus.yml:2:3: basic_auth: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
      ],
    },
    {
      name: 'authorization with bearer_token',
      yaml: 'authorization:\n  credentials: x\nbearer_token: t\n',
      issues: [
        'prometheus.yml:2:3: authorization: authorization is not compatible with bearer_token & bearer_token_file',
      ],
    },
    {
      name: 'authorization type basic',
      yaml: 'authorization:\n  type: Basic\n  credentials: x\n',
      issues: [
        'prometheus.yml:2:9: authorization.type: authorization type cannot be set to "basic", use "basic_auth" instead',
      ],
    },
    {
      name: 'basic_auth with authorization',
      yaml: 'basic_auth:\n  username: a\nauthorization:\n  credentials: x\n',
      issues: [
        'prometheus.yml:4:3: authorization: at most one of basic_auth, oauth2 & authorization must be configured',
      ],
    },
    {
      name: 'bearer_token and bearer_token_file',
      yaml: 'bearer_token: a\nbearer_token_file: b\n',
      issues: ['prometheus.yml:2:1: bearer_token_file: cannot be used together with bearer_token'],
    },
    {
      name: 'ca and ca_file',
      yaml: 'tls_config:\n  ca: PEM\n  ca_file: ca.pem\n',
      issues: ['prometheus.yml:3:12: tls_config.ca_file: at most one of ca and ca_file must be configured'],
    },
    {
      name: 'client certificate without key',
      yaml: 'tls_config:\n  cert_file: c.pem\n',
      issues: [
        'prometheus.yml:2:14: tls_config.cert_file: exactly one of key or key_file must be configured when a client certificate is configured',
      ],
    },
    {
      name: 'client key without certificate',
      yaml: 'tls_config:\n  key: PEM\n',
      issues: [
        'prometheus.yml:2:3: tls_config: exactly one of cert or cert_file must be configured when a client key is configured',
      ],
    },
    {
      name: 'unknown TLS version',
      yaml: 'tls_config:\n  min_version: TLS14\n',
      issues: ['prometheus.yml:2:16: tls_config.min_version: unknown TLS version: TLS14'],
    },
    {
      name: 'max_version below min_version',
      yaml: 'tls_config:\n  min_version: TLS13\n  max_version: TLS12\n',
      issues: [
        'prometheus.yml:3:16: tls_config.max_version: tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified',
      ],
    },
    {
      name: 'no_proxy without proxy_url',
      yaml: 'no_proxy: localhost\n',
      issues: ['prometheus.yml:1:11: no_proxy: if no_proxy is configured, proxy_url must also be configured'],
    },
    {
      name: 'proxy_from_environment with proxy_url',
      yaml: 'proxy_from_environment: true\nproxy_url: http://proxy:3128\n',
      issues: [
        'prometheus.yml:2:12: proxy_url: if proxy_from_environment is configured, proxy_url must not be configured',
      ],
    },
    {
      name: 'proxy_connect_header without a proxy',
      yaml: 'proxy_connect_header:\n  Proxy-Authorization: [secret]\n',
      issues: [
        'prometheus.yml:2:3: proxy_connect_header: if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
      ],
    },
    {
      name: 'oauth2 is not supported',
      yaml: 'oauth2:\n  client_id: a\n',
      issues: ['prometheus.yml:1:1: oauth2: unknown key'],
    },
    {
      name: 'misspelled key gets a hint',
      yaml: 'folow_redirects: false\n',
      issues: ['prometheus.yml:1:1: folow_redirects: unknown key (did you mean follow_redirects?)'],
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => assert.deepEqual(issuesOf(job, c.yaml), c.issues));
  }

  it('checks secret URLs without echoing them', () => {
    const hook = object({ url: secretUrlField('url_file') });
    const url = 'https://hooks.slack.com/services/T/B/X';
    assert.equal(decodeYaml(hook, `url: ${url}\n`).url?.reveal(), url);
    assert.deepEqual(issuesOf(hook, 'url: ftp://files.example.com/x\n'), [
      'prometheus.yml:1:6: url: unsupported scheme "ftp" for URL',
    ]);
    assert.deepEqual(issuesOf(hook, 'url: not a url\n'), ['prometheus.yml:1:6: url: invalid URL']);
  });
});
