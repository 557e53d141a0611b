/** Helpers for the WAL's tests. Not part of the build. */
import { writeSync } from 'node:fs';
import type { LogFields, Logger, LogLevel } from '../../log/index.ts';
import { PAGE_SIZE_BYTES } from './format.ts';
import type { WalCompression, WalFsyncPolicy } from './options.ts';
import { WalReader } from './reader.ts';
import { Wal } from './wal.ts';

export interface LoggedLine {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

/** A logger that keeps what it is given, in `lines`. */
export function recordingLogger(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const make = (bound: LogFields): Logger & { lines: LoggedLine[] } => ({
    lines,
    debug: (msg, fields) => lines.push({ level: 'debug', msg, fields: { ...bound, ...fields } }),
    info: (msg, fields) => lines.push({ level: 'info', msg, fields: { ...bound, ...fields } }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields: { ...bound, ...fields } }),
    error: (msg, fields) => lines.push({ level: 'error', msg, fields: { ...bound, ...fields } }),
    child: (fields) => make({ ...bound, ...fields }),
    setLevel: () => {},
    isEnabled: () => true,
  });
  return make({});
}

/** Every record in `dir` (copied), and the reader's error. */
export function readAll(dir: string): { records: Uint8Array[]; err: Error | null } {
  const r = WalReader.open({ dir });
  const records: Uint8Array[] = [];
  while (r.next()) records.push(r.record().slice());
  r.close();
  return { records, err: r.err() };
}

/** A deterministic record of `length` bytes for `seed`: the same arguments give the same bytes. */
export function testRecord(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // Runs and noise, so that snappy finds something to compress in most records but not all.
    out[i] = (i & 64) === 0 ? (x >>> 0) & 0xff : i & 0x0f;
  }
  return out;
}

const crashPool = testRecord(7, 1 << 20);

/**
 * Record `i` of the `n` records of batch `batch` in crash-test round `round`: a 7-byte header naming them, then
 * deterministic bytes (cut from a shared pool, so that making them costs little next to logging them). The first
 * record of a batch spans several pages, so that most of `log()` runs with a record half-written to the file;
 * the others are from 7 bytes to two pages long.
 */
export function crashRecord(round: number, batch: number, i: number, n: number): Uint8Array {
  const x = batch * 7919 + i * 104729 + round * 31;
  const length = i === 0 ? 3 * PAGE_SIZE_BYTES + (x % 100_000) : 7 + (x % 60_000);
  const from = (batch * 65537 + i * 8191 + round * 127) % (crashPool.length - length);
  const rec = crashPool.slice(from, from + length);
  rec[0] = round;
  new DataView(rec.buffer).setUint32(1, batch);
  rec[5] = i;
  rec[6] = n;
  return rec;
}

/**
 * The crash test's child: opens the log in `dir` (repairing what the last kill tore, and saying so on stderr as
 * `corruptions=N`), then logs batches of 1–3 records and prints each batch's number on stdout once `log()` has
 * returned, until killed (or 100 000 batches).
 */
export async function runCrashWriter(
  dir: string,
  round: number,
  fsync: WalFsyncPolicy,
  compression: WalCompression,
): Promise<void> {
  const wal = await Wal.open({
    dir,
    logger: recordingLogger(),
    fsync,
    compression,
    segmentSizeBytes: 8 * PAGE_SIZE_BYTES,
  });
  writeSync(2, `corruptions=${wal.stats().corruptionsTotal}\n`);
  for (let batch = 0; batch < 100_000; batch++) {
    const n = 1 + (batch % 3);
    const recs: Uint8Array[] = [];
    for (let i = 0; i < n; i++) recs.push(crashRecord(round, batch, i, n));
    wal.log(recs);
    writeSync(1, `${batch}\n`);
  }
  await wal.close();
}
