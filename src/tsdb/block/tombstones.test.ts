import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32c } from '../encoding/crc32c.ts';
import { Encbuf } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';
import { tempDir } from './testing.ts';
import {
  addInterval,
  decodeTombstones,
  encodeTombstones,
  type Interval,
  readTombstones,
  writeTombstones,
} from './tombstones.ts';

const stones = new Map<number, Interval[]>([
  [
    42,
    [
      { mint: -5, maxt: 10 },
      { mint: 100, maxt: 200 },
    ],
  ],
  [7, [{ mint: 1_700_000_000_000, maxt: 1_700_000_060_000 }]],
]);

describe('tombstones', () => {
  it('writes the 9-byte empty file Prometheus writes for a fresh block', async () => {
    assert.equal(encodeTombstones(new Map()).toString('hex'), '0130ba300100000000');
    const dir = tempDir('stones-empty');
    assert.equal(await writeTombstones(dir, new Map()), 9);
    assert.deepEqual(await readTombstones(dir), new Map());
  });

  it('round-trips intervals through a file, written by increasing ref', async () => {
    const dir = tempDir('stones');
    await writeTombstones(dir, stones);
    assert.deepEqual(readdirSync(dir), ['tombstones']);
    const b = readFileSync(join(dir, 'tombstones'));
    assert.equal(b[5], 7, 'the lowest ref comes first');
    assert.deepEqual(await readTombstones(dir), stones);
  });

  it('reads a missing file as no tombstones', async () => {
    assert.deepEqual(await readTombstones(join(tempDir('stones-none'), 'nope')), new Map());
  });

  it('merges overlapping and adjacent intervals as they are read', () => {
    const table: Array<[string, Interval[], Interval, Interval[]]> = [
      ['into empty', [], { mint: 1, maxt: 2 }, [{ mint: 1, maxt: 2 }]],
      [
        'before',
        [{ mint: 10, maxt: 20 }],
        { mint: 1, maxt: 5 },
        [
          { mint: 1, maxt: 5 },
          { mint: 10, maxt: 20 },
        ],
      ],
      ['adjacent', [{ mint: 10, maxt: 20 }], { mint: 21, maxt: 30 }, [{ mint: 10, maxt: 30 }]],
      [
        'spanning two',
        [
          { mint: 1, maxt: 2 },
          { mint: 5, maxt: 6 },
          { mint: 9, maxt: 9 },
        ],
        { mint: 2, maxt: 5 },
        [
          { mint: 1, maxt: 6 },
          { mint: 9, maxt: 9 },
        ],
      ],
    ];
    for (const [name, list, iv, want] of table) assert.deepEqual(addInterval(list, iv), want, name);
    // Prometheus writes one entry per interval in any order; overlapping entries merge on reading.
    const e = new Encbuf();
    e.be32(0x0130ba30);
    e.byte(1);
    for (const [ref, mint, maxt] of [
      [3, 5, 8],
      [3, 1, 4],
      [9, 0, 0],
    ] as const) {
      e.uvarint(ref);
      e.varint(mint);
      e.varint(maxt);
    }
    e.be32(crc32c(e.buf, 5, e.len));
    const want = new Map([
      [3, [{ mint: 1, maxt: 8 }]],
      [9, [{ mint: 0, maxt: 0 }]],
    ]);
    assert.deepEqual(decodeTombstones(Buffer.from(e.get()), 't'), want);
  });

  it('reports every flipped byte and every truncation as corruption', () => {
    const good = encodeTombstones(stones);
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] = (bad[i] as number) ^ 0x40;
      assert.throws(() => decodeTombstones(bad, 'tomb'), BlockCorruptionError, `flip at ${i}`);
    }
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => decodeTombstones(good.subarray(0, n), 'tomb'), BlockCorruptionError, `cut at ${n}`);
    }
  });
});
