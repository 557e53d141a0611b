import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from './labels.ts';
import { appendUtf8, hashLabels, xxhash64 } from './xxhash.ts';

const hex = (h: bigint) => h.toString(16).padStart(16, '0');
const text = (s: string) => new TextEncoder().encode(s);

describe('xxhash64', () => {
  // Expected values from xxhsum -H64 (xxHash 0.8.1).
  const strings: Array<[string, string]> = [
    ['', 'ef46db3751d8e999'],
    ['a', 'd24ec4f1a98c6e5b'],
    ['abc', '44bc2cf5ad770999'],
    ['Nobody inspects the spammish repetition', 'fbcea83c8a378bf1'],
    ['Call me Ishmael. Some years ago--never mind how long precisely-', '02a2e85470d6fd96'],
  ];
  for (const [s, want] of strings) it(JSON.stringify(s), () => assert.equal(hex(xxhash64(text(s))), want));

  // Byte i of the input is (31·i + 7) mod 256; lengths cover every tail and stripe path.
  const lengths: Array<[number, string]> = [
    [0, 'ef46db3751d8e999'],
    [1, 'a96c7f0ce858bbb7'],
    [3, '56e6957632a487f9'],
    [4, 'c60d15b1e3ff8f04'],
    [5, '808815858624dd4e'],
    [7, 'afbefc3d6c6f9a8e'],
    [8, '3da5c7aa269683e0'],
    [9, '4b17a9ba9e215c09'],
    [12, '8fe8ab1c1fd0666e'],
    [15, 'ae2a37eb9357caa7'],
    [16, 'a19ad429b02bc413'],
    [17, 'fe9f0feb7eeedc09'],
    [31, '4a74f3a1a39ad4a1'],
    [32, '8d57d6a4671cc43d'],
    [33, '62c9fd21ed857664'],
    [63, '5c320a0d2707057f'],
    [64, '7bbabbc45729d17e'],
    [65, 'f3980c34bae65dc1'],
    [100, 'efa0ad2d3e70c151'],
    [255, '2c3db4bb567f731e'],
    [1000, '99594f4828043d35'],
  ];
  for (const [n, want] of lengths) {
    it(`${n} bytes`, () => {
      const data = Uint8Array.from({ length: n }, (_, i) => (31 * i + 7) & 0xff);
      assert.equal(hex(xxhash64(data)), want);
    });
  }
});

describe('hashLabels', () => {
  // xxhsum over the stringlabels encoding (length byte, or 0xFF + 3 bytes, before each name and value).
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'ef46db3751d8e999'],
    [{ __name__: 'http_requests', group: 'production', instance: '0', job: 'api-server' }, '18351c049c0d95e6'],
    [{ __name__: 'http_requests', group: 'canary', instance: '3', job: 'api-server' }, '534126af8bc0f6bb'],
    [{ a: 'x'.repeat(300), ü: 'é€😀' }, 'cf2aca94c53e0239'],
  ];
  for (const [labels, want] of cases) {
    it(JSON.stringify(labels).slice(0, 60), () => assert.equal(hex(hashLabels(Labels.fromObject(labels))), want));
  }
});

describe('appendUtf8', () => {
  it('encodes like TextEncoder for well-formed text', () => {
    for (const s of ['', 'abc', 'é€😀', '\u0000\u07ff\u0800\uffff']) {
      const out: number[] = [];
      appendUtf8(out, s);
      assert.deepEqual(out, [...text(s)]);
    }
  });

  it('turns surrogate-escaped bytes back into raw bytes and other lone surrogates into U+FFFD', () => {
    const out: number[] = [];
    appendUtf8(out, 'a\udcc5z\ud800');
    assert.deepEqual(out, [0x61, 0xc5, 0x7a, 0xef, 0xbf, 0xbd]);
  });
});
