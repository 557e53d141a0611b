/**
 * meta.json, a block's identity and summary (docs/format/meta.md). Written as Prometheus writes it: tab
 * indentation, fields in its order, zero statistics and empty lists left out, no trailing newline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockMetaError } from './errors.ts';
import { writeFileAtomic } from './fileutil.ts';
import { isUlid } from './ulid.ts';

export const META_FILENAME = 'meta.json';
export const META_VERSION = 1;

/** A block a compaction read from: its ULID and time range. */
export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

export interface BlockStats {
  numSamples: number;
  numSeries: number;
  numChunks: number;
  numTombstones?: number;
}

export interface BlockMetaCompaction {
  /** 1 for a block cut from the head; a compacted block has 1 + the highest level of its parents. */
  level: number;
  /** ULIDs of the level-1 blocks whose data this block holds (its own ULID for a level-1 block). */
  sources: string[];
  /** The compaction produced no samples: delete the block on the next reload. */
  deletable?: boolean;
  /** The blocks this one was compacted from directly. */
  parents?: BlockDesc[];
  /** A compaction of this block failed; it is not compacted again. */
  failed?: boolean;
  /** Free-form hints Prometheus may record (such as `'from-out-of-order'`). */
  hints?: string[];
}

export interface BlockMeta {
  ulid: string;
  /** Unix milliseconds; samples are in [minTime, maxTime): maxTime is exclusive. */
  minTime: number;
  maxTime: number;
  stats: BlockStats;
  compaction: BlockMetaCompaction;
  /** Format version of meta.json; always META_VERSION. */
  version: number;
}

/** The JSON text of `meta`, byte for byte what Prometheus writes for the same values. */
export function encodeMeta(meta: BlockMeta): string {
  const nonZero = (n: number | undefined) => (n ? n : undefined);
  const nonEmpty = <T>(a: T[] | undefined) => (a !== undefined && a.length > 0 ? a : undefined);
  const c = meta.compaction;
  const doc = {
    ulid: meta.ulid,
    minTime: meta.minTime,
    maxTime: meta.maxTime,
    stats: {
      numSamples: nonZero(meta.stats.numSamples),
      numSeries: nonZero(meta.stats.numSeries),
      numChunks: nonZero(meta.stats.numChunks),
      numTombstones: nonZero(meta.stats.numTombstones),
    },
    compaction: {
      level: c.level,
      sources: nonEmpty(c.sources),
      deletable: c.deletable || undefined,
      parents: nonEmpty(c.parents)?.map((p) => ({ ulid: p.ulid, minTime: p.minTime, maxTime: p.maxTime })),
      failed: c.failed || undefined,
      hints: nonEmpty(c.hints),
    },
    version: META_VERSION,
  };
  return JSON.stringify(doc, null, '\t');
}

/** Parses meta.json text; `file` names it in errors. Throws BlockMetaError. */
export function decodeMeta(text: string, file: string): BlockMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BlockMetaError(file, '', 'not JSON', { cause: err });
  }
  const f = new Fields(file);
  const o = f.object(doc, '');
  const version = f.int(o.version, 'version');
  if (version !== META_VERSION) throw new BlockMetaError(file, 'version', `unsupported version ${version}`);
  const stats = o.stats === undefined ? {} : f.object(o.stats, 'stats');
  const c = f.object(o.compaction, 'compaction');
  const meta: BlockMeta = {
    ulid: f.ulid(o.ulid, 'ulid'),
    minTime: f.int(o.minTime, 'minTime'),
    maxTime: f.int(o.maxTime, 'maxTime'),
    stats: {
      numSamples: f.count(stats.numSamples, 'stats.numSamples'),
      numSeries: f.count(stats.numSeries, 'stats.numSeries'),
      numChunks: f.count(stats.numChunks, 'stats.numChunks'),
    },
    compaction: {
      level: f.int(c.level, 'compaction.level'),
      sources: f.list(c.sources, 'compaction.sources').map((s, i) => f.ulid(s, `compaction.sources[${i}]`)),
    },
    version,
  };
  const tombstones = f.count(stats.numTombstones, 'stats.numTombstones');
  if (tombstones > 0) meta.stats.numTombstones = tombstones;
  if (c.deletable === true) meta.compaction.deletable = true;
  if (c.failed === true) meta.compaction.failed = true;
  if (c.parents !== undefined) {
    meta.compaction.parents = f.list(c.parents, 'compaction.parents').map((p, i) => {
      const at = `compaction.parents[${i}]`;
      const po = f.object(p, at);
      return {
        ulid: f.ulid(po.ulid, `${at}.ulid`),
        minTime: f.int(po.minTime, `${at}.minTime`),
        maxTime: f.int(po.maxTime, `${at}.maxTime`),
      };
    });
  }
  if (c.hints !== undefined) meta.compaction.hints = f.list(c.hints, 'compaction.hints').map(String);
  return meta;
}

/** Reads `dir/meta.json`. Throws BlockMetaError, or the fs error when unreadable. */
export async function readMeta(dir: string): Promise<BlockMeta> {
  const file = join(dir, META_FILENAME);
  return decodeMeta(await readFile(file, 'utf8'), file);
}

/** Writes `dir/meta.json` atomically (temporary file, fsync, rename). Returns its size in bytes. */
export async function writeMeta(dir: string, meta: BlockMeta): Promise<number> {
  const b = Buffer.from(encodeMeta(meta), 'utf8');
  await writeFileAtomic(join(dir, META_FILENAME), b);
  return b.length;
}

/** Field checks that throw BlockMetaError naming the field. */
class Fields {
  constructor(private readonly file: string) {}

  private fail(field: string, reason: string): never {
    throw new BlockMetaError(this.file, field, reason);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'not an object');
    return v as Record<string, unknown>;
  }

  list(v: unknown, field: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(field, 'not a list');
    return v;
  }

  int(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(field, `not an integer: ${JSON.stringify(v)}`);
    return v;
  }

  count(v: unknown, field: string): number {
    if (v === undefined) return 0;
    const n = this.int(v, field);
    if (n < 0) this.fail(field, `negative: ${n}`);
    return n;
  }

  ulid(v: unknown, field: string): string {
    if (typeof v !== 'string' || !isUlid(v)) this.fail(field, `not a ULID: ${JSON.stringify(v)}`);
    return v;
  }
}
