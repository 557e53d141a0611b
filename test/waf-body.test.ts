// Request body processors: one contract suite run against each (never throw, honour the arguments limit,
// parse a well-formed body into ARGS_POST), then the multipart strictness flags as a table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BodyProcessor, bodyProcessors, TxState } from '../src/gateway/waf/index.ts';

const limits = { argumentsLimit: 3, jsonDepthLimit: 4, argumentSeparator: '&' };

const samples: Record<keyof typeof bodyProcessors, { ct: string; body: string; args: Array<[string, string]> }> = {
  URLENCODED: {
    ct: 'application/x-www-form-urlencoded',
    body: 'a=1&b=x+y&c=%41&d=4',
    args: [
      ['a', '1'],
      ['b', 'x y'],
      ['c', 'A'],
    ],
  },
  JSON: {
    ct: 'application/json',
    body: '{"a":1,"b":{"c":"x"},"d":[true,null],"e":5}',
    args: [
      ['json.a', '1'],
      ['json.b.c', 'x'],
      ['json.d', 'true'],
    ],
  },
  MULTIPART: {
    ct: 'multipart/form-data; boundary=b',
    body: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name="b"\r\n\r\ntwo\r\n--b--\r\n',
    args: [
      ['a', '1'],
      ['b', 'two'],
    ],
  },
  XML: { ct: 'text/xml', body: '<a>1</a>', args: [] },
};

const garbage = [
  '',
  '\0\xff\xfe',
  '{',
  '[[[[[[[[[[',
  '<a><b></a>',
  '--b\r\n',
  '%%%&&&===',
  'x'.repeat(10_000),
  '{"a":'.repeat(50),
];

for (const [name, proc] of Object.entries(bodyProcessors) as Array<[keyof typeof bodyProcessors, BodyProcessor]>) {
  describe(`body processor ${name}`, () => {
    const sample = samples[name];
    it('never throws on malformed bodies and reports errors as data', () => {
      for (const body of garbage) {
        const r = proc(body, sample.ct, new TxState(), limits);
        assert.ok(r === undefined || typeof r === 'string');
      }
    });
    it('parses a well-formed body into ARGS_POST within the arguments limit', () => {
      const s = new TxState();
      assert.equal(proc(sample.body, sample.ct, s, limits), undefined);
      assert.deepEqual(
        s.member('ARGS_POST').map((p) => [p.key, p.value]),
        sample.args,
      );
      assert.ok(s.member('ARGS_POST').length <= limits.argumentsLimit);
    });
  });
}

describe('multipart strictness flags', () => {
  const part = 'Content-Disposition: form-data; name="a"\r\n\r\nv\r\n';
  const rows: Array<[string, string, string, string[]]> = [
    ['clean', 'boundary=b', `--b\r\n${part}--b--\r\n`, []],
    ['quoted boundary', 'boundary="b"', `--b\r\n${part}--b--\r\n`, ['BOUNDARY_QUOTED']],
    ['data before the first boundary', 'boundary=b', `junk\r\n--b\r\n${part}--b--\r\n`, ['DATA_BEFORE']],
    ['data after the last boundary', 'boundary=b', `--b\r\n${part}--b--\r\njunk`, ['DATA_AFTER']],
    ['LF line endings', 'boundary=b', `--b\n${part.replace(/\r\n/g, '\n')}--b--\n`, ['LF_LINE']],
    [
      'header folding',
      'boundary=b',
      `--b\r\nContent-Disposition: form-data;\r\n name="a"\r\n\r\nv\r\n--b--\r\n`,
      ['HEADER_FOLDING'],
    ],
    [
      'missing semicolon',
      'boundary=b',
      `--b\r\nContent-Disposition: form-data name="a"\r\n\r\nv\r\n--b--\r\n`,
      ['MISSING_SEMICOLON'],
    ],
    [
      'invalid quoting',
      'boundary=b',
      `--b\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--b--\r\n`,
      ['INVALID_QUOTING'],
    ],
  ];
  for (const [name, param, body, flags] of rows) {
    it(name, () => {
      const s = new TxState();
      bodyProcessors.MULTIPART(body, `multipart/form-data; ${param}`, s, limits);
      const set = [
        'BOUNDARY_QUOTED',
        'DATA_BEFORE',
        'DATA_AFTER',
        'LF_LINE',
        'HEADER_FOLDING',
        'MISSING_SEMICOLON',
        'INVALID_QUOTING',
      ].filter((f) => s.scalar(`MULTIPART_${f}`) === '1');
      assert.deepEqual(set, flags);
      assert.equal(s.scalar('MULTIPART_STRICT_ERROR'), flags.length > 0 ? '1' : '0');
    });
  }
});
