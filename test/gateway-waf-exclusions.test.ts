// A site's WAF exclusions and extra SecLang files from vigil.yml, end to end through the real gateway with
// CRS 4 at paranoia level 1: what each exclusion lets through, on which paths, and what it leaves blocked.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '../src/config/index.ts';
import type { AuditRecord } from '../src/gateway/index.ts';
import { GatewayWafError, wafInspectorFactory } from '../src/gateway/index.ts';
import { createLogger } from '../src/log/index.ts';
import { type Backend, get, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const crsDir = fileURLToPath(new URL('../../shared/crs', import.meta.url));
const sqliValue = encodeURIComponent("1' OR '1'='1");
const xss = `/search?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}`;
const logger = createLogger({ level: 'error', write: () => {} });

async function auditLine(gw: TestGateway, uri: string): Promise<AuditRecord | undefined> {
  for (let i = 0; i < 50; i++) {
    let text = '';
    try {
      text = readFileSync(join(gw.dataDir, 'gateway-audit.log'), 'utf8');
    } catch {}
    const found = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AuditRecord)
      .find((r) => r.uri === uri);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

describe('gateway WAF exclusions from vigil.yml', () => {
  let backend: Backend;
  let gw: TestGateway;
  let dir: string;

  before(async () => {
    backend = await startBackend();
    dir = mkdtempSync(join(tmpdir(), 'vigil-waf-excl-'));
    writeFileSync(
      join(dir, 'before.conf'),
      `SecRule ARGS:secret "@streq letmein" "id:100001,phase:1,deny,status:403,log,msg:'Custom rule before CRS'"\n`,
    );
    writeFileSync(join(dir, 'after.conf'), 'SecRuleRemoveByTag attack-xss\n');
    gw = await startGateway(
      [
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        `      waf:`,
        `        crs_dir: '${crsDir}'`,
        '        exclusions:',
        '          - rule_tags: [attack-sqli]',
        "            targets: ['ARGS:comment']",
        '            paths: [/blog]',
        '            reason: comments quote SQL on purpose',
        '          - rule_ids: [941000-941999]',
        '            paths: [/editor]',
        '    - hosts: [custom.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        `      waf:`,
        `        crs_dir: '${crsDir}'`,
        `        rules_before_crs: ['${join(dir, 'before.conf')}']`,
        `        rules_after_crs: ['${join(dir, 'after.conf')}']`,
      ].join('\n'),
      { inspector: wafInspectorFactory({ logger }) },
    );
  });
  after(async () => {
    await gw.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the excluded rules reading one argument on the excluded path only', async () => {
    assert.equal((await get(gw.port, `/blog/post?comment=${sqliValue}`)).status, 200);
    assert.equal((await get(gw.port, `/blog/post?title=${sqliValue}`)).status, 403, 'another argument');
    assert.equal((await get(gw.port, `/shop?comment=${sqliValue}`)).status, 403, 'another path');
  });

  it('removes a range of rules on its path and keeps them elsewhere', async () => {
    assert.equal((await get(gw.port, `/editor${xss}`)).status, 200);
    assert.equal((await get(gw.port, xss)).status, 403);
    const line = await auditLine(gw, xss);
    assert.ok(line?.matched_rule_ids.some((id) => id >= 941000 && id <= 941999));
  });

  it('loads rules_before_crs and rules_after_crs around the Core Rule Set, for that site only', async () => {
    const custom = { servername: 'custom.test' };
    const uri = '/login?secret=letmein';
    assert.equal((await get(gw.port, uri, custom)).status, 403);
    assert.deepEqual((await auditLine(gw, uri))?.matched_rule_ids, [100001]);
    assert.equal((await get(gw.port, xss, custom)).status, 200, 'XSS rules removed after CRS');
    assert.equal((await get(gw.port, `/x?id=${sqliValue}`, custom)).status, 403, 'SQLi rules still on');
    assert.equal((await get(gw.port, uri)).status, 200, 'the other site has no custom rule');
  });
});

describe('gateway WAF exclusions that are wrong', () => {
  const config = (exclusions: string) =>
    parseConfig(
      [
        'gateway:',
        '  sites:',
        '    - hosts: [app.test]',
        "      upstreams: [{ url: 'http://127.0.0.1:9' }]",
        '      waf:',
        '        exclusions:',
        exclusions,
      ].join('\n'),
      'vigil.yml',
      {},
    );

  it('names the line and key of an exclusion without rules or with a bad range', () => {
    assert.throws(
      () => config('          - targets: [ARGS:q]'),
      (err: Error) =>
        err instanceof ConfigError &&
        /7:\d+: gateway\.sites\[0\]\.waf\.exclusions\[0\]\.rule_ids: an exclusion needs rule_ids or rule_tags/.test(
          err.message,
        ),
    );
    assert.throws(
      () => config('          - rule_ids: [942100-942000]'),
      (err: Error) =>
        err instanceof ConfigError && /rule id range 942100-942000 ends before it starts/.test(err.message),
    );
  });

  it('refuses an unknown variable in targets, naming the site, exclusion and target', async () => {
    const gwConfig = config("          - { rule_ids: [942100], targets: ['ARGS:q', 'NO_SUCH_VARIABLE'] }").gateway;
    assert.ok(gwConfig);
    assert.throws(
      () => wafInspectorFactory({ logger })(gwConfig),
      (err: Error) =>
        err instanceof GatewayWafError && err.message.startsWith('gateway.sites[0].waf.exclusions[0].targets[1]:'),
    );
  });
});
