import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WafEngine } from './engine.ts';

/** Runs a GET through an engine built from `rules` (SecRuleEngine On); returns the logged rule ids. */
function matchedIds(rules: string, uri: string): number[] {
  const engine = new WafEngine({ sources: [{ name: 'test.conf', text: `SecRuleEngine DetectionOnly\n${rules}` }] });
  const tx = engine.newTransaction({ clientIp: '127.0.0.1' });
  tx.processRequestHeaders({ method: 'GET', uri, protocol: 'HTTP/1.1', headers: [['Host', 'a.test']] });
  tx.processRequestBody('');
  return tx.matches.map((m) => m.id);
}

// Rules that share target lists and chains share their value lists within a phase; run-time exclusions
// by tag and by id must still apply to exactly the rules they name.
const cases: Array<{ name: string; rules: string; uri: string; want: number[] }> = [
  {
    name: 'rules with the same targets and chain all see the values',
    rules: `SecRule ARGS "@rx attack" "id:1,phase:1,pass,log,t:lowercase"
SecRule ARGS "@rx attack" "id:2,phase:1,pass,log,t:lowercase"
SecRule ARGS "@rx ATTACK" "id:3,phase:1,pass,log,t:none"`,
    uri: '/?a=ATTACK',
    want: [1, 2, 3],
  },
  {
    name: 'a tag exclusion drops the target from tagged rules only',
    rules: `SecAction "id:10,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=skip-a;ARGS:a"
SecRule ARGS "@rx x" "id:11,phase:1,pass,log,tag:'skip-a'"
SecRule ARGS "@rx x" "id:12,phase:1,pass,log,tag:'other'"
SecRule ARGS "@rx x" "id:13,phase:1,pass,log,tag:'other',tag:'skip-a'"`,
    uri: '/?a=x',
    want: [12],
  },
  {
    name: 'tag and id exclusions combine',
    rules: `SecAction "id:20,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=t1;ARGS:a,ctl:ruleRemoveTargetById=22;ARGS:b"
SecRule ARGS "@rx x" "id:21,phase:1,pass,log,tag:'t1'"
SecRule ARGS "@rx x" "id:22,phase:1,pass,log,tag:'t1'"
SecRule ARGS "@rx x" "id:23,phase:1,pass,log"`,
    uri: '/?a=x&b=x',
    want: [21, 23, 23],
  },
  {
    name: 'a paranoia-level gate reads the TX value the transaction set',
    rules: `SecAction "id:30,phase:1,pass,nolog,setvar:tx.level=2"
SecRule TX:LEVEL "@lt 2" "id:31,phase:1,pass,nolog,skipAfter:END"
SecRule ARGS "@rx x" "id:32,phase:1,pass,log"
SecMarker END
SecRule TX:LEVEL "!@ge 3" "id:33,phase:1,pass,log"`,
    uri: '/?a=x',
    want: [32, 33],
  },
];

for (const c of cases) {
  test(`rule values: ${c.name}`, () => {
    assert.deepEqual(matchedIds(c.rules, c.uri), c.want);
  });
}
