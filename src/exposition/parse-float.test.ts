import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { floatBits } from '../model/index.ts';
import { NumberReader, NumberStatus } from './parse-float.ts';

const read = (s: string) => {
  const r = new NumberReader();
  const b = Buffer.from(s, 'latin1');
  const st = r.readFloat(b, 0, b.length);
  return { st, v: r.value };
};

describe('readFloat: what Go ParseFloat accepts, minus `_` and hex', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['-0', -0],
    ['+1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['-.5e3', -500],
    ['1E3', 1000],
    ['1e+06', 1e6],
    ['00012', 12],
    ['4.9351e-05', 4.9351e-5],
    ['7.424100000000001e-05', 7.424100000000001e-5],
    ['0.30000000000000004', 0.30000000000000004],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['1.7976931348623157e308', 1.7976931348623157e308],
    ['5e-324', 5e-324],
    ['1e-400', 0],
    ['0e99999999', 0],
    ['9007199254740993', 9007199254740992],
    ['1e23', 1e23],
    ['8.41e21', 8.41e21],
    ['Inf', Number.POSITIVE_INFINITY],
    ['+inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['INFINITY', Number.POSITIVE_INFINITY],
  ];
  for (const [s, v] of ok) {
    test(`accepts ${JSON.stringify(s)}`, () => {
      const r = read(s);
      assert.equal(r.st, NumberStatus.Ok);
      assert.deepEqual(floatBits(r.v), floatBits(v));
    });
  }
  for (const s of ['NaN', 'nan', 'nAn']) {
    test(`accepts ${s}`, () => {
      const r = read(s);
      assert.equal(r.st, NumberStatus.Ok);
      assert.ok(Number.isNaN(r.v));
    });
  }
  const syntax = [
    '',
    '+',
    '-',
    '.',
    'e5',
    '1e',
    '1e+',
    '1_0',
    '0x10',
    '0x1p-3',
    '1..2',
    '+nan',
    '-NaN',
    'infin',
    'Infinityy',
    ' 1',
    '1 ',
    'true',
    '1,5',
    '١',
  ];
  for (const s of syntax) test(`refuses ${JSON.stringify(s)}`, () => assert.equal(read(s).st, NumberStatus.Syntax));
  for (const s of ['1e400', '-1e309', '1.8e308'])
    test(`range error for ${s}`, () => assert.equal(read(s).st, NumberStatus.Range));

  test('agrees with Number() bit for bit on random decimal text', () => {
    let seed = 42;
    const r = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 20000; i++) {
      const digits = Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 10)).join('');
      const dot = Math.floor(r() * (digits.length + 1));
      const exp = r() < 0.5 ? `e${Math.floor(r() * 80) - 40}` : '';
      const s = `${r() < 0.3 ? '-' : ''}${digits.slice(0, dot)}.${digits.slice(dot)}${exp}`;
      const got = read(s);
      assert.equal(got.st, NumberStatus.Ok, s);
      assert.deepEqual(floatBits(got.v), floatBits(Number(s)), s);
    }
  });
});

describe('readUint', () => {
  const table: [string, NumberStatus, number?][] = [
    ['0', NumberStatus.Ok, 0],
    ['1700000000000', NumberStatus.Ok, 1700000000000],
    ['9007199254740991', NumberStatus.Ok, 9007199254740991],
    ['9007199254740992', NumberStatus.Range],
    ['', NumberStatus.Syntax],
    ['1a', NumberStatus.Syntax],
  ];
  for (const [s, st, v] of table) {
    test(JSON.stringify(s), () => {
      const r = new NumberReader();
      const b = Buffer.from(s);
      assert.equal(r.readUint(b, 0, b.length), st);
      if (v !== undefined) assert.equal(r.value, v);
    });
  }
});
