// The WAF with the Core Rule Set as Debian packages it (modsecurity-crs, CRS 3.3: rules in
// /usr/share/modsecurity-crs, the setup file in /etc/modsecurity/crs), through the real gateway: it loads, passes
// benign traffic and blocks attacks; without the setup file the error says where Debian keeps it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '../src/gateway/index.ts';
import { GatewayWafError, wafInspectorFactory } from '../src/gateway/index.ts';
import { createLogger } from '../src/log/index.ts';
import { type Backend, get, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const rulesDir = '/usr/share/modsecurity-crs';
const setupFile = '/etc/modsecurity/crs/crs-setup.conf';
const missing = existsSync(join(rulesDir, 'rules')) ? false : 'Debian package modsecurity-crs is not installed';

describe("gateway WAF with Debian's modsecurity-crs", { skip: missing }, () => {
  let backend: Backend;
  let gw: TestGateway;
  const logs: string[] = [];

  before(async () => {
    backend = await startBackend();
    gw = await startGateway(
      [
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        `      waf: { crs_dir: '${rulesDir}', crs_setup_file: '${setupFile}' }`,
      ].join('\n'),
      { inspector: wafInspectorFactory({ logger: createLogger({ level: 'info', write: (l) => logs.push(l) }) }) },
    );
  });
  after(async () => {
    await gw?.close();
    await backend?.close();
  });

  it('loads it, passes benign requests and blocks SQL injection and XSS', async () => {
    const loaded = logs.find((l) => l.includes('waf rules loaded'));
    assert.match(loaded ?? '', /"rules":\d{3}/);
    assert.equal((await get(gw.port, '/search?q=benign+words&page=2')).status, 200);
    const sqli = `/items?id=${encodeURIComponent("1' OR '1'='1")}`;
    assert.equal((await get(gw.port, sqli)).status, 403);
    assert.equal((await get(gw.port, `/s?q=${encodeURIComponent('<script>alert(1)</script>')}`)).status, 403);
    let line: AuditRecord | undefined;
    for (let i = 0; i < 50 && line === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      line = readFileSync(join(gw.dataDir, 'gateway-audit.log'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditRecord)
        .find((r) => r.uri === sqli);
    }
    assert.ok(line?.matched_rule_ids.includes(942100), `942100 in ${line?.matched_rule_ids}`);
    assert.ok(line?.matched_rule_ids.includes(949110), `949110 in ${line?.matched_rule_ids}`);
  });

  it('says where Debian keeps the setup file when crs_setup_file is missing', async () => {
    await assert.rejects(
      startGateway(
        [
          '  sites:',
          '    - hosts: [app.test]',
          `      upstreams: [{ url: '${backend.url}' }]`,
          `      waf: { crs_dir: '${rulesDir}' }`,
        ].join('\n'),
        { inspector: wafInspectorFactory({ logger: createLogger({ level: 'error', write: () => {} }) }) },
      ),
      (err: Error) =>
        err instanceof GatewayWafError &&
        /set waf\.crs_setup_file .*\/etc\/modsecurity\/crs\/crs-setup\.conf/.test(err.message),
    );
  });
});
