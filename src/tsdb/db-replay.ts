/**
 * Rebuilding the head at start: the full chunks from the head chunk files, then the WAL (its last checkpoint,
 * then the segments after it). Samples already in a chunk file are skipped; samples of series the WAL never
 * declared are dropped and counted, as Prometheus does.
 */
import type { Logger } from '../log/index.ts';
import { Labels } from '../model/index.ts';
import { addInterval } from './block/index.ts';
import type { Head, MmappedChunk } from './head/index.ts';
import {
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  RecordType,
  type RefSeries,
  recordType,
  SampleBatch,
  type Tombstone,
} from './record/index.ts';
import { lastCheckpoint, type SegmentRange, WalReader } from './wal/index.ts';

export interface ReplayStats {
  series: number;
  samples: number;
  mmappedChunks: number;
  unknownRefSamples: number;
  /** Records that failed to decode, or a corrupt segment before the last one. */
  errors: string[];
  durationMs: number;
}

export function replay(head: Head, walDir: string, logger: Logger): ReplayStats {
  const started = Date.now();
  const stats: ReplayStats = {
    series: 0,
    samples: 0,
    mmappedChunks: 0,
    unknownRefSamples: 0,
    errors: [],
    durationMs: 0,
  };

  // Full chunks by series ref, attached when the WAL declares the series.
  const mmapped = new Map<number, MmappedChunk[]>();
  head.files.iterate((ref, seriesRef, mint, maxt, numSamples) => {
    let list = mmapped.get(seriesRef);
    if (list === undefined) {
      list = [];
      mmapped.set(seriesRef, list);
    }
    list.push({ ref, mint, maxt, numSamples });
    stats.mmappedChunks++;
  });

  const ranges: SegmentRange[] = [];
  const checkpoint = lastCheckpoint(walDir);
  if (checkpoint !== null) {
    ranges.push({ dir: checkpoint.path });
    ranges.push({ dir: walDir, first: checkpoint.index + 1 });
  } else {
    ranges.push({ dir: walDir });
  }

  /** WAL refs to head series; a WAL may declare the same labels twice under different refs. */
  const refs = new Map<number, number>();
  const series: RefSeries[] = [];
  const batch = new SampleBatch(1024);
  const reader = WalReader.open(ranges);
  try {
    while (reader.next()) {
      const rec = reader.record();
      const type = recordType(rec);
      if (type === RecordType.Series) {
        series.length = 0;
        const err = decodeSeries(rec, series);
        if (err) {
          stats.errors.push(`segment ${reader.segment()} offset ${reader.recordOffset()}: ${err.message}`);
          continue;
        }
        for (const rs of series) {
          const labels = Labels.fromPairs(rs.labels.map((l) => [l.name, l.value] as const));
          const { series: s, created } = head.getOrCreate(labels, rs.ref);
          refs.set(rs.ref, s.ref);
          s.logged = true;
          if (created) {
            stats.series++;
            const chunks = mmapped.get(rs.ref);
            if (chunks !== undefined) {
              // Chunks wholly in persisted blocks are not needed again.
              s.mmapped = chunks.filter((c) => c.maxt >= head.minValidTime).sort((a, b) => a.mint - b.mint);
              mmapped.delete(rs.ref);
              const first = s.mmapped[0];
              const last = s.mmapped.at(-1);
              if (first !== undefined && first.mint < head.minTime) head.minTime = first.mint;
              if (last !== undefined && last.maxt > head.maxTime) head.maxTime = last.maxt;
            }
          }
        }
      } else if (type === RecordType.Samples) {
        batch.clear();
        const err = decodeSamples(rec, batch);
        if (err) {
          stats.errors.push(`segment ${reader.segment()} offset ${reader.recordOffset()}: ${err.message}`);
          continue;
        }
        const n = batch.length;
        const { refs: walRefs } = batch;
        for (let i = 0; i < n; i++) {
          const ref = refs.get(walRefs[i] as number);
          if (ref === undefined) {
            stats.unknownRefSamples++;
            walRefs[i] = 0;
          } else walRefs[i] = ref;
        }
        head.applySamples(walRefs, batch.timestampsMs, batch.values, n);
        stats.samples += n;
      } else if (type === RecordType.Tombstones) {
        const stones: Tombstone[] = [];
        const err = decodeTombstones(rec, stones);
        if (err) {
          stats.errors.push(`segment ${reader.segment()} offset ${reader.recordOffset()}: ${err.message}`);
          continue;
        }
        for (const st of stones) {
          const ref = refs.get(st.ref);
          if (ref === undefined) continue;
          head.tombstones.set(ref, addInterval(head.tombstones.get(ref) ?? [], { mint: st.mintMs, maxt: st.maxtMs }));
        }
      }
      // Exemplars and metadata records are not kept by the head yet.
    }
    const err = reader.err();
    if (err !== null) stats.errors.push(err.message);
  } finally {
    reader.close();
  }
  if (mmapped.size > 0) {
    // Chunks of series that compaction dropped from the head (and so from the checkpoint): already in blocks.
    logger.debug('head chunk files hold chunks of series the WAL does not declare; they are ignored', {
      series: mmapped.size,
    });
  }
  stats.durationMs = Date.now() - started;
  return stats;
}
