import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PAGE_SIZE_BYTES as PAGE, Wal, WalCorruptionError, type WalOptions, WalReader } from './index.ts';
import { readAll, recordingLogger, testRecord } from './testing.ts';

// tmpfs where there is one: the loops below open the log hundreds of times, and repair fsyncs each time.
const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vigil-wal-repair-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `wal-${dirs++}`);

interface Span {
  start: number;
  end: number;
}

/** Writes `recs` into one fresh segment (unclosed, as a crash leaves it); returns its bytes and record spans. */
async function writeSegment(recs: Uint8Array[], o: Partial<WalOptions> = {}): Promise<{ file: Buffer; spans: Span[] }> {
  const dir = freshDir();
  const wal = await Wal.open({ dir, logger: recordingLogger(), fsync: 'never', ...o });
  for (const r of recs) wal.log([r]);
  const file = readFileSync(join(dir, '00000000'));
  await wal.close();
  const spans: Span[] = [];
  const reader = WalReader.open({ dir });
  while (reader.next()) spans.push({ start: reader.recordOffset(), end: reader.offset() });
  assert.equal(reader.err(), null);
  return { file, spans };
}

/** Opens a log whose only segment holds `bytes`; returns what it kept and what it logged. */
async function openWith(bytes: Uint8Array) {
  const dir = freshDir();
  const logger = recordingLogger();
  mkdirSync(dir);
  writeFileSync(join(dir, '00000000'), bytes);
  const wal = await Wal.open({ dir, logger, fsync: 'never' });
  const stats = wal.stats();
  await wal.close();
  const size = statSync(join(dir, '00000000')).size;
  const { records, err } = readAll(dir);
  rmSync(dir, { recursive: true, force: true });
  return { records, err, stats, size, warnings: logger.lines.filter((l) => l.level === 'warn') };
}

// Small records, one spanning three pages, a snappy-compressed one, and small ones after: the last few are
// where a crash tears the log.
const recs = [
  ...Array.from({ length: 30 }, (_, i) => testRecord(i, 1 + ((i * 977) % 1500))),
  testRecord(100, 2 * PAGE + 300),
  new Uint8Array(2000).fill(9),
  testRecord(101, 40),
  testRecord(102, 1),
  testRecord(103, 0),
  testRecord(104, 90),
];
const LAST = 6;

function kept(records: Uint8Array[], upTo: number, context: string): void {
  assert.equal(records.length, upTo, `${context}: kept ${records.length} records, expected ${upTo}`);
  for (let i = 0; i < upTo; i++) {
    assert.ok(
      Buffer.from(records[i] as Uint8Array).equals(Buffer.from(recs[i] as Uint8Array)),
      `${context}: record ${i}`,
    );
  }
}

/** Offsets to try inside the record at `span`: every byte of a small record, edges and a stride in a big one. */
function offsetsIn(span: Span): number[] {
  const out: number[] = [];
  for (let o = span.start; o < span.end; o++) {
    const rel = o - span.start;
    const pageRel = o % PAGE;
    if (
      span.end - span.start <= 600 ||
      rel < 24 ||
      span.end - o < 24 ||
      pageRel < 16 ||
      PAGE - pageRel < 16 ||
      rel % 251 === 0
    ) {
      out.push(o);
    }
  }
  return out;
}

describe('tail repair on open', () => {
  it('keeps every whole record and cuts a torn one, at every offset in the last records', async () => {
    const { file, spans } = await writeSegment(recs);
    const first = spans.length - LAST;
    let tried = 0;
    for (let k = first; k < spans.length; k++) {
      const span = spans[k] as Span;
      for (const cut of [...offsetsIn(span), span.end]) {
        const got = await openWith(file.subarray(0, cut));
        const torn = cut > span.start && cut < span.end;
        const want = cut === span.end ? k + 1 : k;
        kept(got.records, want, `cut at ${cut}`);
        assert.equal(got.err, null);
        assert.equal(got.warnings.length, torn ? 1 : 0, `cut at ${cut}: warnings`);
        assert.equal(got.stats.corruptionsTotal, torn ? 1 : 0);
        if (torn) {
          assert.equal(got.size, span.start, `cut at ${cut}: truncated where the torn record starts`);
          assert.equal(got.warnings[0]?.fields.segment, 0);
          assert.equal(got.warnings[0]?.fields.offset, span.start);
          assert.equal(got.stats.repairedBytesTotal, cut - span.start);
        }
        tried++;
      }
    }
    assert.ok(tried > 300, `tried ${tried} offsets`);
  });

  it('cuts at the first record with a flipped byte, wherever the flip is', async () => {
    const { file, spans } = await writeSegment(recs);
    const first = spans.length - LAST;
    const from = (spans[first] as Span).start;
    const tryAt = new Set(spans.slice(first).flatMap(offsetsIn));
    let tried = 0;
    for (let p = from; p < file.length; p++) {
      const k = spans.findIndex((s) => p < s.end);
      const inRecord = k >= 0 && p >= (spans[k] as Span).start;
      if (inRecord && !tryAt.has(p)) continue;
      if (!inRecord && p % 97 !== 0 && p !== (spans.at(-1) as Span).end) continue;
      const bytes = Uint8Array.from(file);
      bytes[p] = (bytes[p] as number) ^ 0xff;
      const got = await openWith(bytes);
      const want = k < 0 ? spans.length : k;
      kept(got.records, want, `flip at ${p}`);
      assert.equal(got.warnings.length, 1, `flip at ${p} is noticed`);
      assert.equal(
        got.size,
        k < 0 ? (spans.at(-1) as Span).end : inRecord ? (spans[k] as Span).start : (spans[k - 1] as Span).end,
      );
      tried++;
    }
    assert.ok(tried > 300, `tried ${tried} offsets`);
  });

  it('repairs the last non-empty segment when empty ones follow it, and starts on garbage', async () => {
    const { file, spans } = await writeSegment(recs.slice(0, 5), { compression: 'none' });
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, '00000000'), file.subarray(0, (spans[4] as Span).start + 3));
    writeFileSync(join(dir, '00000001'), '');
    const logger = recordingLogger();
    const wal = await Wal.open({ dir, logger, fsync: 'never' });
    assert.equal(wal.stats().corruptionsTotal, 1);
    assert.equal(wal.stats().currentSegment, 1, 'the empty last segment is reused');
    await wal.close();
    kept(readAll(dir).records, 4, 'torn before an empty segment');

    const garbage = freshDir();
    mkdirSync(garbage);
    writeFileSync(join(garbage, '00000000'), Buffer.from('this is not a WAL segment at all'));
    const w2 = await Wal.open({ dir: garbage, logger, fsync: 'never' });
    w2.log([testRecord(1, 10)]);
    await w2.close();
    assert.equal(statSync(join(garbage, '00000000')).size, 32768, 'cut to nothing and reused');
    const after = readAll(garbage);
    assert.equal(after.err, null);
    assert.deepEqual(after.records, [testRecord(1, 10)]);
  });

  it('leaves corruption in an earlier segment to the reader, which names segment and offset', async () => {
    const dir = freshDir();
    const logger = recordingLogger();
    const wal = await Wal.open({ dir, logger, fsync: 'never', compression: 'none', segmentSizeBytes: PAGE });
    const small = [testRecord(1, 100), testRecord(2, 100), testRecord(3, 100)];
    wal.log(small);
    wal.nextSegment();
    wal.log([testRecord(4, 100)]);
    await wal.close();
    const seg0 = join(dir, '00000000');
    const bytes = readFileSync(seg0);
    const second = 107;
    bytes[second + 50] = (bytes[second + 50] as number) ^ 1;
    writeFileSync(seg0, bytes);

    const reopened = await Wal.open({ dir, logger, fsync: 'never' });
    assert.equal(reopened.stats().corruptionsTotal, 0, 'open does not touch earlier segments');
    await reopened.close();
    assert.equal(statSync(seg0).size, PAGE);

    const r = WalReader.open({ dir });
    let n = 0;
    while (r.next()) n++;
    assert.equal(n, 1);
    const err = r.err();
    assert.ok(err instanceof WalCorruptionError, String(err));
    assert.equal(err.code, 'WAL_CORRUPTION');
    assert.equal(err.segment, 0);
    assert.equal(err.offset, second);
    assert.equal(err.dir, dir);
    assert.match(err.reason, /checksum mismatch/);
    assert.equal(r.next(), false, 'stays stopped');
  });
});
