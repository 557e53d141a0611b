import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

describe('--alertmanager-config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const prom = join(dir, 'prometheus.yml');
  const am = join(dir, 'alertmanager.yml');
  writeFileSync(
    prom,
    `global:
  evaluation_interval: 30s
alerting:
  alertmanagers:
    - static_configs: [{targets: ['127.0.0.1:9093']}]
`,
  );
  writeFileSync(
    am,
    `global:
  resolve_timeout: 2m
  slack_api_url: https://hooks.slack.com/services/T0/B0/x
templates: ['tmpl/*.tmpl']
route:
  receiver: team
receivers:
  - name: team
    slack_configs: [{channel: '#ops'}]
`,
  );

  it('takes routing, receivers, templates and the Alertmanager globals from the alertmanager.yml', () => {
    const c = loadConfig(prom, {}, am);
    assert.equal(c.global.evaluation_interval, 30_000);
    assert.equal(c.global.resolve_timeout, 120_000);
    assert.equal(c.global.slack_api_url?.reveal(), 'https://hooks.slack.com/services/T0/B0/x');
    assert.equal(c.alerting.route?.receiver, 'team');
    assert.equal(c.alerting.receivers[0]?.name, 'team');
    assert.equal(c.alerting.alertmanagers.length, 1);
    assert.deepEqual(c.alerting.templates, [join(dir, 'tmpl/*.tmpl')]);
  });

  it('refuses routes in both files', () => {
    const both = join(dir, 'both.yml');
    writeFileSync(both, 'route:\n  receiver: x\nreceivers:\n  - name: x\n');
    assert.throws(
      () => loadConfig(both, {}, am),
      (err: unknown) => err instanceof ConfigError && /keep one/.test(err.message),
    );
  });

  it('names a missing file', () => {
    assert.throws(
      () => loadConfig(prom, {}, join(dir, 'missing.yml')),
      (err: unknown) => err instanceof ConfigError && /missing\.yml.*no such file/s.test(err.message),
    );
  });
});
