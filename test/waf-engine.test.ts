// The WAF engine on small hand-written configurations: phases, chains, skipAfter, exclusions, ctl, modes,
// body processors, and the transaction's data results (interruption, security event, log lines).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RequestHead, WafConfigError, WafEngine } from '../src/gateway/waf/index.ts';

function engine(text: string): WafEngine {
  return new WafEngine({ sources: [{ name: 'test.conf', text }] });
}

interface Req {
  method?: string;
  uri?: string;
  headers?: Array<[string, string]>;
  body?: string;
  response?: { status: number; headers: Array<[string, string]>; body: string };
}

function run(e: WafEngine, req: Req, opts: { ruleEngine?: 'on' | 'off' | 'detectiononly' } = {}) {
  const tx = e.newTransaction({ clientIp: '10.0.0.1', id: 'req-1', site: 'app.example', now: () => 1_000, ...opts });
  const head: RequestHead = {
    method: req.method ?? 'GET',
    uri: req.uri ?? '/',
    protocol: 'HTTP/1.1',
    headers: req.headers ?? [['Host', 'app.example']],
  };
  tx.processRequestHeaders(head);
  tx.processRequestBody(req.body ?? '');
  const res = req.response ?? { status: 200, headers: [['Content-Type', 'text/html']], body: '' };
  tx.processResponseHeaders(res.status, 'HTTP/1.1', res.headers);
  tx.processResponseBody(res.body);
  tx.processLogging();
  return { tx, ids: tx.matches.map((m) => m.id) };
}

describe('WAF engine', () => {
  const cases: Array<{ name: string; conf: string; req: Req; ids: number[] }> = [
    {
      name: 'ARGS from the query string, with t:lowercase',
      conf: `SecRule ARGS "@rx attack" "id:1,phase:1,t:lowercase,pass,log"`,
      req: { uri: '/?a=ATTACK' },
      ids: [1],
    },
    {
      name: 'negated operator',
      conf: `SecRule REQUEST_METHOD "!@within GET POST" "id:2,phase:1,pass,log"`,
      req: { method: 'PUT' },
      ids: [2],
    },
    {
      name: 'count of a collection',
      conf: `SecRule &ARGS "@eq 2" "id:3,phase:1,pass,log"`,
      req: { uri: '/?a=1&b=2' },
      ids: [3],
    },
    {
      name: 'exclusion of one member',
      conf: `SecRule ARGS|!ARGS:safe "@contains x" "id:4,phase:1,pass,log"`,
      req: { uri: '/?safe=x' },
      ids: [],
    },
    {
      name: 'regex key selector',
      conf: `SecRule ARGS:/^id_/ "@rx ^\\d+$" "id:5,phase:1,pass,log"`,
      req: { uri: '/?ID_a=12' },
      ids: [5],
    },
    {
      name: 'chain: all links must match; capture feeds the next link',
      conf: `SecRule ARGS:a "@rx ^(\\w+)$" "id:6,phase:1,pass,log,capture,chain"
  SecRule TX:1 "@streq foo" "t:none"`,
      req: { uri: '/?a=foo' },
      ids: [6],
    },
    {
      name: 'chain that fails in its second link',
      conf: `SecRule ARGS:a "@rx ^(\\w+)$" "id:7,phase:1,pass,log,capture,chain"
  SecRule TX:1 "@streq bar" "t:none"`,
      req: { uri: '/?a=foo' },
      ids: [],
    },
    {
      name: 'skipAfter jumps to the marker',
      conf: `SecAction "id:8,phase:1,pass,nolog,skipAfter:END"
SecRule REQUEST_URI "@unconditionalMatch" "id:9,phase:1,pass,log"
SecMarker END
SecRule REQUEST_URI "@unconditionalMatch" "id:10,phase:1,pass,log"`,
      req: {},
      ids: [10],
    },
    {
      name: 'setvar with macro expansion and =+',
      conf: `SecAction "id:11,phase:1,pass,nolog,setvar:tx.score=2"
SecAction "id:12,phase:1,pass,nolog,setvar:'tx.score=+%{tx.score}'"
SecRule TX:score "@eq 4" "id:13,phase:1,pass,log"`,
      req: {},
      ids: [13],
    },
    {
      name: 'ctl:ruleRemoveById for the rest of the transaction',
      conf: `SecRule REQUEST_HEADERS:X-Skip "@rx ." "id:14,phase:1,pass,nolog,ctl:ruleRemoveById=15-16"
SecRule REQUEST_URI "@unconditionalMatch" "id:15,phase:2,pass,log"
SecRule REQUEST_URI "@unconditionalMatch" "id:17,phase:2,pass,log"`,
      req: { headers: [['X-Skip', '1']] },
      ids: [17],
    },
    {
      name: 'ctl:ruleRemoveTargetById drops one target',
      conf: `SecAction "id:18,phase:1,pass,nolog,ctl:ruleRemoveTargetById=19;ARGS:q"
SecRule ARGS "@contains bad" "id:19,phase:2,pass,log"`,
      req: { uri: '/?q=bad' },
      ids: [],
    },
    {
      name: 'SecRuleUpdateTargetById adds an exclusion at load',
      conf: `SecRule ARGS "@contains bad" "id:20,phase:2,pass,log"
SecRuleUpdateTargetById 20 "!ARGS:q"`,
      req: { uri: '/?q=bad' },
      ids: [],
    },
    {
      name: 'SecRuleRemoveById at load',
      conf: `SecRule ARGS "@contains bad" "id:21,phase:2,pass,log"
SecRuleRemoveById 21`,
      req: { uri: '/?q=bad' },
      ids: [],
    },
    {
      name: 'urlencoded body into ARGS_POST',
      conf: `SecRule ARGS_POST:b "@streq x y" "id:22,phase:2,pass,log"`,
      req: {
        method: 'POST',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: 'b=x+y',
      },
      ids: [22],
    },
    {
      name: 'JSON body via ctl:requestBodyProcessor',
      conf: `SecRule REQUEST_HEADERS:Content-Type "@beginsWith application/json" "id:23,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule ARGS:json.a.b "@streq 1" "id:24,phase:2,pass,log"`,
      req: { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"a":{"b":1}}' },
      ids: [24],
    },
    {
      name: 'multipart body: fields, files and part headers',
      conf: `SecRule ARGS:f "@streq v" "id:25,phase:2,pass,log"
SecRule FILES:up "@endsWith .php" "id:26,phase:2,pass,log"
SecRule MULTIPART_STRICT_ERROR "@eq 0" "id:27,phase:2,pass,log"`,
      req: {
        method: 'POST',
        headers: [['Content-Type', 'multipart/form-data; boundary=XyZ']],
        body:
          '--XyZ\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n' +
          '--XyZ\r\nContent-Disposition: form-data; name="up"; filename="a.php"\r\nContent-Type: text/plain\r\n\r\n<?php\r\n' +
          '--XyZ--\r\n',
      },
      ids: [25, 26, 27],
    },
    {
      name: 'XML body: text and attributes',
      conf: `SecRule REQUEST_HEADERS:Content-Type "@contains xml" "id:28,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule XML:/* "@contains hello" "id:29,phase:2,pass,log"
SecRule XML://@* "@streq v" "id:30,phase:2,pass,log"`,
      req: { method: 'POST', headers: [['Content-Type', 'text/xml']], body: '<a x="v"><b>hello</b></a>' },
      ids: [29, 30],
    },
    {
      name: 'response body is inspected when its MIME type is listed',
      conf: `SecResponseBodyAccess On
SecResponseBodyMimeType text/html
SecRule RESPONSE_BODY "@contains secret" "id:31,phase:4,pass,log"
SecRule RESPONSE_STATUS "@eq 500" "id:32,phase:3,pass,log"`,
      req: { response: { status: 500, headers: [['Content-Type', 'text/html; charset=utf-8']], body: 'a secret' } },
      ids: [32, 31],
    },
    {
      name: 'multiMatch tries every transformation stage',
      conf: `SecRule ARGS "@streq %41" "id:33,phase:1,pass,log,t:urlDecode,multiMatch"`,
      req: { uri: '/?a=%2541' },
      ids: [33],
    },
    {
      name: '@pm and @pmFromFile-style phrase matching is case-insensitive',
      conf: `SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:34,phase:1,pass,log"`,
      req: { headers: [['User-Agent', 'Mozilla SQLMap/1.0']] },
      ids: [34],
    },
    {
      name: 'nolog rules leave no match',
      conf: `SecRule REQUEST_URI "@unconditionalMatch" "id:35,phase:1,pass,nolog"`,
      req: {},
      ids: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(run(engine(c.conf), c.req).ids, c.ids);
    });
  }

  it('blocks with an interruption object in On mode, only detects in DetectionOnly', () => {
    const conf = `SecRule ARGS "@contains evil" "id:40,phase:2,deny,status:406,log,msg:'evil in %{MATCHED_VAR_NAME}',severity:CRITICAL,tag:t1"
SecRule REQUEST_URI "@unconditionalMatch" "id:41,phase:2,pass,log"`;
    const on = run(engine(`SecRuleEngine On\n${conf}`), { uri: '/x?a=evil' });
    assert.deepEqual(on.tx.interruption, { status: 406, ruleId: 40, phase: 2, action: 'deny' });
    assert.deepEqual(on.ids, [40]);
    const ev = on.tx.event();
    assert.ok(ev);
    assert.equal(ev.action, 'blocked');
    assert.equal(ev.status, 406);
    assert.equal(ev.site, 'app.example');
    assert.equal(ev.clientIp, '10.0.0.1');
    assert.equal(ev.requestId, 'req-1');
    assert.equal(ev.timeMs, 1_000);
    assert.deepEqual(ev.rules[0], {
      id: 40,
      msg: 'evil in ARGS:a',
      data: '',
      severity: 'CRITICAL',
      tags: ['t1'],
      phase: 2,
    });
    assert.match(on.tx.logLines()[0] ?? '', /^ModSecurity: Access denied with code 406 \(phase 2\)\..*\[id "40"\]/);

    const det = run(engine(`SecRuleEngine DetectionOnly\n${conf}`), { uri: '/x?a=evil' });
    assert.equal(det.tx.interruption, null);
    assert.equal(det.tx.wouldInterrupt, true);
    assert.deepEqual(det.ids, [40, 41]);
    assert.equal(det.tx.event()?.action, 'detected');
    assert.match(det.tx.logLines()[0] ?? '', /^ModSecurity: Warning\..*\[msg "evil in ARGS:a"\]/);

    const perTx = run(engine(`SecRuleEngine On\n${conf}`), { uri: '/x?a=evil' }, { ruleEngine: 'detectiononly' });
    assert.equal(perTx.tx.interruption, null);
  });

  it('reports configuration errors with file and line', () => {
    const bad: Array<[string, RegExp]> = [
      ['SecRule ARGS "@nope x" "id:1"', /unknown operator/],
      ['SecRule NOPE "@rx x" "id:1"', /unknown variable/],
      ['SecRule ARGS "@rx x" "id:1,nope"', /unknown action/],
      ['SecRule ARGS "@rx x" "phase:1"', /no id/],
      ['\n\nSecRule ARGS "@rx (?=x)" "id:1"', /lookahead/],
      ['SecFoo On', /unknown directive/],
    ];
    for (const [text, re] of bad) {
      assert.throws(
        () => new WafEngine({ sources: [{ name: 'x.conf', text }], strictRegex: true }),
        (err: unknown) => err instanceof WafConfigError && re.test(err.message) && err.file === 'x.conf',
        text,
      );
    }
    const e = new WafEngine({ sources: [{ name: 'x.conf', text: '\nSecRule ARGS "@rx (?=x)" "id:1"' }] });
    assert.equal(e.skippedRules.length, 1);
    assert.equal(e.skippedRules[0]?.line, 2);
  });

  it('leaves out a whole chain when one of its links cannot run on RE2', () => {
    const conf = (starter: string, link: string) =>
      `SecRule ARGS "${starter}" "id:1,phase:1,pass,log,chain"\n  SecRule ARGS "${link}" "t:none"\nSecRule ARGS "@rx b" "id:2,phase:1,pass,log"`;
    for (const [starter, link] of [
      ['@rx a', '@rx (?=a)'],
      ['@rx (?=a)', '@rx a'],
    ]) {
      const e = new WafEngine({ sources: [{ name: 'x.conf', text: conf(starter as string, link as string) }] });
      assert.equal(e.skippedRules.length, (starter as string).includes('?=') ? 2 : 1);
      assert.equal(e.ruleCount, 1, 'rule 2 only');
      assert.deepEqual(run(e, { uri: '/?x=ab' }).ids, [2]);
    }
  });

  it('reads line continuations and quoted arguments as ModSecurity does', () => {
    const e = engine(`SecRule ARGS "@rx a\\"b" \\
    "id:50,\\
    phase:1,\\
    pass,log,msg:'it''s'"`);
    assert.deepEqual(run(e, { uri: '/?x=a"b' }).ids, [50]);
  });

  it('never throws on hostile input', () => {
    const e = engine(
      `SecRule ARGS|REQUEST_HEADERS|REQUEST_BODY "@rx (a|b)*c" "id:60,phase:2,pass,log,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,t:base64Decode"`,
    );
    for (const body of ['%', '%u', '&#', '\\u12', '\\', '{"a":', '<a', '--X\r\n']) {
      for (const ct of [
        'application/json',
        'multipart/form-data; boundary=X',
        'text/xml',
        'application/x-www-form-urlencoded',
      ]) {
        run(e, { method: 'POST', uri: `/?q=${encodeURIComponent(body)}`, headers: [['Content-Type', ct]], body });
      }
    }
  });
});

describe('WAF engine defaults', () => {
  it("prepends SecDefaultAction's transformations unless the rule says t:none", () => {
    const e = engine(`SecDefaultAction "phase:1,log,pass,t:lowercase"
SecRule ARGS "@streq abc" "id:1,phase:1"
SecRule ARGS "@streq abc" "id:2,phase:1,t:none"`);
    assert.deepEqual(run(e, { uri: '/?a=ABC' }).ids, [1]);
  });

  it('resolves block to the default disruptive action of the phase', () => {
    const e = engine(`SecRuleEngine On
SecDefaultAction "phase:2,log,deny,status:418"
SecRule ARGS "@streq x" "id:1,phase:2,block"`);
    assert.deepEqual(run(e, { uri: '/?a=x' }).tx.interruption, { status: 418, ruleId: 1, phase: 2, action: 'deny' });
  });

  it('runs the CRS test marker rule: logs the value and removes every other rule', () => {
    const e =
      engine(`SecRule REQUEST_HEADERS:X-CRS-Test "@rx ^.*$" "id:999999,phase:1,pass,t:none,log,msg:'%{MATCHED_VAR}',ctl:ruleRemoveById=1-999999"
SecRule REQUEST_URI "@unconditionalMatch" "id:5,phase:1,pass,log"`);
    const { tx, ids } = run(e, { headers: [['X-CRS-Test', 'abc-start']] });
    assert.deepEqual(ids, [999999]);
    assert.match(tx.logLines()[0] ?? '', /\[msg "abc-start"\]/);
  });
});

describe('WAF configuration loading', () => {
  it('follows Include wildcards and reads data files next to the including file', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'waf-'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'main.conf'), 'Include rules/*.conf\n');
    writeFileSync(join(dir, 'rules', 'a.conf'), 'SecRule ARGS "@pmFromFile words.data" "id:1,phase:1,pass,log"\n');
    writeFileSync(join(dir, 'rules', 'b.conf'), 'SecRule ARGS "@streq z" "id:2,phase:1,pass,log"\n');
    writeFileSync(join(dir, 'rules', 'words.data'), '# words\nneedle\n');
    const e = new WafEngine({ files: [join(dir, 'main.conf')] });
    assert.equal(e.ruleCount, 2);
    assert.deepEqual(run(e, { uri: '/?a=haystack-NEEDLE&b=z' }).ids, [1, 2]);
  });

  it('SecRuleUpdateTargetById with a replacement target', () => {
    const e = engine(`SecRule ARGS:a "@streq x" "id:1,phase:1,pass,log"
SecRuleUpdateTargetById 1 ARGS:b ARGS:a`);
    assert.deepEqual(run(e, { uri: '/?a=x' }).ids, []);
    assert.deepEqual(run(e, { uri: '/?b=x' }).ids, [1]);
  });

  it('allow stops the remaining phases; allow:phase only the current one', () => {
    const rules = (scope: string) => `SecRule REQUEST_URI "@beginsWith /ok" "id:1,phase:1,pass,nolog,${scope}"
SecRule REQUEST_URI "@unconditionalMatch" "id:2,phase:1,pass,log"
SecRule REQUEST_URI "@unconditionalMatch" "id:3,phase:2,pass,log"`;
    assert.deepEqual(run(engine(rules('allow')), { uri: '/ok' }).ids, []);
    assert.deepEqual(run(engine(rules('allow:phase')), { uri: '/ok' }).ids, [3]);
  });

  it('refuses a body past SecRequestBodyLimit with 413 when the engine is On (Reject)', () => {
    const e = engine(`SecRuleEngine On
SecRequestBodyLimit 4`);
    const headers: Array<[string, string]> = [['Content-Type', 'application/x-www-form-urlencoded']];
    const { tx } = run(e, { method: 'POST', headers, body: 'a=12345' });
    assert.deepEqual(tx.interruption, { status: 413, ruleId: 0, phase: 2, action: 'deny' });
    assert.equal(tx.event()?.action, 'blocked');
    assert.equal(tx.event()?.status, 413);
  });

  it('processes only SecRequestBodyLimit bytes and flags INBOUND_DATA_ERROR (ProcessPartial)', () => {
    const e = engine(`SecRequestBodyLimitAction ProcessPartial
SecRequestBodyLimit 4
SecRule INBOUND_DATA_ERROR "@eq 1" "id:1,phase:2,pass,log"
SecRule ARGS_POST:a "@streq 12" "id:2,phase:2,pass,log"`);
    const headers: Array<[string, string]> = [['Content-Type', 'application/x-www-form-urlencoded']];
    assert.deepEqual(run(e, { method: 'POST', headers, body: 'a=12345' }).ids, [1, 2]);
  });
});
