import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectSqli } from './sqli.ts';

describe('detectSqli', () => {
  // Injections, each with the CRS test or attack form it stands for.
  const attacks: string[] = [
    "1' or '1'='1",
    "admin'--",
    "admin'#",
    "' or 1=1-- -",
    '1 or 1=1',
    '1 or 1',
    '1) and 2--',
    "1' union select password from users--",
    '-1 union all select 1,2,3',
    "'; drop table users--",
    // 942101-9: a block comment holding `/*` (REQUEST_FILENAME after urlDecodeUni).
    '/post/*/*/2 union all/bar',
    // 942100-13: a closed string, then a bitwise OR.
    '" | type %SystemDrive%\\config.ini | "',
    // 942101-4: a closed paren, then WAITFOR.
    "foo')waitfor delay'5:0:20'--",
    "' waitfor delay '0:0:5",
    "z'or email notnull--",
    "admin@juice-sh.op' and email ilike email--",
    "admin@juice-sh.op'and unlikely (id)--",
    "x' or array[id] is not null--",
    "'or(id glob 1)--",
    "x'-email--",
    "user'collate nocase--",
    "testing-1 waitfor delay '0:0:15' --",
    "';",
    "';#",
    '; sleep(0)',
    '1(select*from(select(sleep(5)))d)',
    'FROM(SELECT COUNT(*),CONCAT(0x71,(SELECT 1))',
    'sELecT slEep (20 dIv 3)',
    'BENCHMARK(5000000,MD5(0x48416166)',
    'if(1=1,sleep(12),0)',
    'blah/"}\' and data @> \'{"a":"a"}\' union select ASCII(s.token) from t--',
  ];
  for (const input of attacks)
    it(`flags ${JSON.stringify(input)}`, () => assert.notEqual(detectSqli(input), undefined));

  // Benign values that earlier shapes flagged (found by bench/waf-detectors.bench.ts's corpus).
  const benign: string[] = [
    '2 or 3',
    '1 or 2 people',
    '"select a plan"',
    '"drop shipping"',
    '"select all that apply"',
    '"execute order"',
    '"drop-down menu"',
    '"waitfor it"',
    '"or best offer"',
    '"if (and only if)"',
    '"between 5 and 10"',
    "$('#element').popover('enable')",
    '<a href="#" class="stretched-link">Go somewhere</a>',
    "A new option '--print' for locate causes it to print the matching results.",
    '* Non-maintainer upload. * "--" may not appear in comments. (Closes: #674933)',
    "'/absolute/node_modules',",
    "path.dirname('/foo/bar/baz/asdf/quux');",
    "Option '-s' now only suppresses byte counts and the '!' prompt.",
    "Only `q' and `Q' do not accept two addresses in standard (GNU) mode.",
    'geoip-database (20191224-3) unstable; urgency=medium',
    "'UTF-8') or false if not defined",
    "Dell'Acqua",
    "O'Brien, 12 O'Connell St.",
    "It's 5' 11\" tall and 2' wide.",
    'src/*/*.js',
    "/post/foo/9'union all/bar",
    '/post/foo/24 union all select 1,2,3 from aa/bar',
  ];
  for (const input of benign) it(`passes ${JSON.stringify(input)}`, () => assert.equal(detectSqli(input), undefined));

  it('reports a nested block comment as the evasion token X', () =>
    assert.match(detectSqli('/post/*/*/2 union all/bar') ?? '', /X/));
});
