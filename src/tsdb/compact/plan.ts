/**
 * Which blocks to compact next, as Prometheus' leveled compactor decides: overlapping blocks first; then,
 * for each larger range (6h, 18h, … of 2h blocks), a group of blocks inside one aligned window that fills
 * the window or lies wholly before the newest block; a block with many deletions alone. The newest block is
 * never included, leaving a window to back it up.
 */

/** What the planner needs of a block. Times are Unix ms; `maxTime` is exclusive, as in meta.json. */
export interface PlanBlock {
  readonly ulid: string;
  readonly minTime: number;
  readonly maxTime: number;
  readonly numSeries: number;
  /** Series with deletions (tombstones). */
  readonly numTombstoneSeries: number;
}

/** `steps` ranges starting at `min`, each `factor` times the last (Prometheus' ExponentialBlockRanges). */
export function exponentialRanges(min: number, steps: number, factor: number): number[] {
  const out: number[] = [];
  let r = min;
  for (let i = 0; i < steps; i++) {
    out.push(r);
    r *= factor;
  }
  return out;
}

/**
 * The block ranges for a retention: 2h × 3^k up to 10% of the retention time, and at most 31 days
 * (Prometheus' defaults for `--storage.tsdb.max-block-duration`).
 */
export function blockRanges(retentionMs: number, minRangeMs = 2 * 3600_000): number[] {
  const max = Math.min(retentionMs > 0 ? retentionMs / 10 : Number.POSITIVE_INFINITY, 31 * 86_400_000);
  const ranges = exponentialRanges(minRangeMs, 10, 3).filter((r) => r <= max);
  return ranges.length > 0 ? ranges : [minRangeMs];
}

/** The ulids of the blocks to compact together next, or [] when there is nothing to do. */
export function plan(blocks: readonly PlanBlock[], ranges: readonly number[]): string[] {
  const sorted = [...blocks].sort((a, b) => a.minTime - b.minTime || a.maxTime - b.maxTime);
  const overlapping = firstOverlap(sorted);
  if (overlapping.length > 0) return overlapping.map((b) => b.ulid);
  if (sorted.length < 2) return [];
  const newest = sorted.at(-1) as PlanBlock;
  const candidates = sorted.slice(0, -1);
  const group = selectGroup(candidates, ranges, newest.minTime);
  if (group.length > 0) return group.map((b) => b.ulid);
  // A block whose deletions cover more than 5% of its series is rewritten alone to reclaim the space.
  for (let i = candidates.length - 1; i >= 0; i--) {
    const b = candidates[i] as PlanBlock;
    if (b.maxTime - b.minTime < (ranges[1] ?? ranges[0] ?? 0) / 2) continue;
    if (b.numTombstoneSeries > 0 && b.numTombstoneSeries / Math.max(1, b.numSeries) > 0.05) return [b.ulid];
  }
  return [];
}

/** The first run of blocks that overlap in time, in time order. */
function firstOverlap(sorted: readonly PlanBlock[]): PlanBlock[] {
  let group: PlanBlock[] = [];
  let groupMax = Number.NEGATIVE_INFINITY;
  for (const b of sorted) {
    if (group.length > 0 && b.minTime < groupMax) {
      group.push(b);
      groupMax = Math.max(groupMax, b.maxTime);
      continue;
    }
    if (group.length > 1) return group;
    group = [b];
    groupMax = b.maxTime;
  }
  return group.length > 1 ? group : [];
}

function selectGroup(blocks: readonly PlanBlock[], ranges: readonly number[], highTime: number): PlanBlock[] {
  for (const range of ranges.slice(1)) {
    for (const part of splitByRange(blocks, range)) {
      if (part.length < 2) continue;
      const mint = (part[0] as PlanBlock).minTime;
      const maxt = (part.at(-1) as PlanBlock).maxTime;
      if (maxt - mint === range || maxt <= highTime) return part;
    }
  }
  return [];
}

/** Groups of blocks that each fit wholly within one `range`-aligned window; blocks that straddle are left out. */
export function splitByRange(blocks: readonly PlanBlock[], range: number): PlanBlock[][] {
  const out: PlanBlock[][] = [];
  let i = 0;
  while (i < blocks.length) {
    const b = blocks[i] as PlanBlock;
    const start =
      b.minTime >= 0 ? range * Math.floor(b.minTime / range) : range * Math.floor((b.minTime - range + 1) / range);
    if (b.maxTime > start + range) {
      i++;
      continue;
    }
    const group: PlanBlock[] = [];
    while (i < blocks.length) {
      const c = blocks[i] as PlanBlock;
      if (c.minTime >= start + range) break;
      if (c.maxTime <= start + range) group.push(c);
      i++;
    }
    if (group.length > 0) out.push(group);
  }
  return out;
}
