/**
 * WAL checkpoints, as Prometheus writes them after head compaction: the series still in the head and their
 * samples at or after `mint`, read from the previous checkpoint and the segments `first..last`, written as a
 * small WAL in `checkpoint.<last>` (built in `checkpoint.<last>.tmp`, then renamed). Older checkpoints and
 * the segments it covers can then be deleted.
 */
import { rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/index.ts';
import {
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  RecordEncoder,
  RecordType,
  type RefSeries,
  recordType,
  SampleBatch,
  type Tombstone,
} from './record/index.ts';
import {
  CHECKPOINT_TEMP_SUFFIX,
  checkpointName,
  deleteCheckpoints,
  lastCheckpoint,
  type SegmentRange,
  Wal,
  type WalCompression,
  WalReader,
} from './wal/index.ts';

export interface CheckpointStats {
  index: number;
  series: number;
  samples: number;
  droppedSamples: number;
}

export async function writeCheckpoint(
  walDir: string,
  first: number,
  last: number,
  keep: (ref: number) => boolean,
  mint: number,
  options: { logger: Logger; compression: WalCompression },
): Promise<CheckpointStats> {
  const ranges: SegmentRange[] = [];
  const previous = lastCheckpoint(walDir);
  if (previous !== null) ranges.push({ dir: previous.path });
  ranges.push({ dir: walDir, first: Math.max(first, previous ? previous.index + 1 : first), last });

  const final = join(walDir, checkpointName(last));
  const tmp = final + CHECKPOINT_TEMP_SUFFIX;
  rmSync(tmp, { recursive: true, force: true });
  const out = await Wal.open({ dir: tmp, logger: options.logger, compression: options.compression, fsync: 'never' });
  const stats: CheckpointStats = { index: last, series: 0, samples: 0, droppedSamples: 0 };
  const enc = new RecordEncoder();
  const series: RefSeries[] = [];
  const batch = new SampleBatch(1024);
  const kept = new SampleBatch(1024);
  const reader = WalReader.open(ranges);
  try {
    while (reader.next()) {
      const rec = reader.record();
      const type = recordType(rec);
      if (type === RecordType.Series) {
        series.length = 0;
        if (decodeSeries(rec, series) !== null) continue;
        const live = series.filter((s) => keep(s.ref));
        if (live.length > 0) out.log([enc.series(live)]);
        stats.series += live.length;
      } else if (type === RecordType.Samples) {
        batch.clear();
        kept.clear();
        if (decodeSamples(rec, batch) !== null) continue;
        for (let i = 0; i < batch.length; i++) {
          const ref = batch.refs[i] as number;
          const t = batch.timestampsMs[i] as number;
          if (t >= mint && keep(ref)) kept.appendBits(ref, t, batch.valueHighBits(i), batch.valueLowBits(i));
          else stats.droppedSamples++;
        }
        if (kept.length > 0) out.log([enc.samples(kept)]);
        stats.samples += kept.length;
      } else if (type === RecordType.Tombstones) {
        const stones: Tombstone[] = [];
        if (decodeTombstones(rec, stones) !== null) continue;
        const live = stones.filter((st) => keep(st.ref) && st.maxtMs >= mint);
        if (live.length > 0) out.log([enc.tombstones(live)]);
      }
    }
    const err = reader.err();
    if (err !== null) throw err;
  } catch (err) {
    reader.close();
    await out.close();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  reader.close();
  await out.close();
  rmSync(final, { recursive: true, force: true });
  await rename(tmp, final);
  deleteCheckpoints(walDir, last);
  return stats;
}
