import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

const withPublicMetrics = `server:
  auth:
    public_paths: [/-/healthy, /metrics]
scrape_configs:
  - job_name: node
    basic_auth:
      username: prom
      password: scrape-secret-123
    static_configs:
      - targets: [localhost:9100]
`;

describe('config reload', () => {
  let t: TestApp;
  const admin = { Authorization: basic('admin', adminPassword) };
  const reload = () => request(`${t.base}/-/reload`, { method: 'POST', headers: admin });
  const reloadGauge = async () =>
    (await t.app.registry.getSingleMetric('vigil_config_last_reload_successful')?.get())?.values[0]?.value;

  before(async () => {
    t = await startApp({ config: withPublicMetrics });
  });
  after(() => t.close());

  it('shows the running config with secrets redacted', async () => {
    const r = await request(`${t.base}/api/v1/status/config`, { headers: admin });
    assert.equal(r.status, 200);
    const yaml = r.json<{ data: { yaml: string } }>().data.yaml;
    assert.match(yaml, /password: <secret>/);
    assert.equal(yaml.includes('scrape-secret-123'), false);
    assert.match(yaml, /scrape_interval: 1m/, 'defaults are filled in');
    assert.equal(t.logs.join('').includes('scrape-secret-123'), false, 'never logged');
  });

  it('refuses a config that fails validation and keeps the running one', async () => {
    assert.equal((await request(`${t.base}/metrics`)).status, 200, 'public per the first config');
    writeFileSync(t.configFile as string, 'server:\n  auth:\n    public_pathz: []\n');
    const r = await reload();
    assert.equal(r.status, 500);
    assert.equal(r.json().errorType, 'internal');
    assert.match(
      String(r.json().error),
      /^failed to reload config: .*vigil\.yml:3:5: server\.auth\.public_pathz: unknown key \(did you mean public_paths\?\)$/,
    );
    assert.equal((await request(`${t.base}/metrics`)).status, 200, 'the old config still runs');
    assert.equal(await reloadGauge(), 0);
    assert.ok(t.logs.some((l) => l.includes('config reload refused')));
    const info = await request(`${t.base}/api/v1/status/runtimeinfo`, { headers: admin });
    assert.equal(info.json<{ data: { reloadConfigSuccess: boolean } }>().data.reloadConfigSuccess, false);
  });

  it('applies a valid config', async () => {
    writeFileSync(t.configFile as string, 'server:\n  log_level: warn\n');
    const r = await reload();
    assert.equal(r.status, 200);
    assert.equal(r.text, 'Config reloaded.\n');
    assert.equal((await request(`${t.base}/metrics`)).status, 401, '/metrics is no longer public');
    assert.equal(await reloadGauge(), 1);
    const yaml = (await request(`${t.base}/api/v1/status/config`, { headers: admin })).json<{
      data: { yaml: string };
    }>().data.yaml;
    assert.equal(yaml.includes('node'), false);
  });

  it('refuses a config file that has gone', async () => {
    writeFileSync(t.configFile as string, '');
    const { rmSync } = await import('node:fs');
    rmSync(t.configFile as string);
    const r = await reload();
    assert.equal(r.status, 500);
    assert.match(String(r.json().error), /cannot read the config file: no such file/);
  });
});
