/**
 * `topk`, `bottomk`, `limitk` and `limit_ratio` at one step (upstream's `aggregationK`): a subset of the input
 * samples per group, each keeping its own labels and `dropName`.
 */
import type { Labels } from '../../model/index.ts';
import { hashLabels } from '../../model/index.ts';
import type { AggregateOp } from '../parser/index.ts';
import { goSort, heapFix, heapPush, type Less } from './aggregate-go-sort.ts';
import { Grouper } from './aggregate-grouping.ts';
import type { Sample, Vector } from './value.ts';

/** Go's `vectorByValueHeap.Less`: NaN first, then ascending. */
const byValue: Less<Sample> = (a, b) => Number.isNaN(a.f) || a.f < b.f;
/** Go's `vectorByReverseValueHeap.Less`: NaN first, then descending. */
const byReverseValue: Less<Sample> = (a, b) => Number.isNaN(a.f) || a.f > b.f;
const descending: Less<Sample> = (a, b) => byValue(b, a);
const ascending: Less<Sample> = (a, b) => byReverseValue(b, a);

const sampleOffsets = new WeakMap<Labels, number>();

/**
 * Where a series falls in [0, 1] for `limit_ratio`: its label hash over 2^64 (upstream's
 * `HashRatioSampler.SampleOffset`, `float64(Hash()) / float64(MaxUint64)`). Memoised per label set.
 */
export function sampleOffset(metric: Labels): number {
  let offset = sampleOffsets.get(metric);
  if (offset === undefined) {
    offset = Number(hashLabels(metric)) / 2 ** 64;
    sampleOffsets.set(metric, offset);
  }
  return offset;
}

/** Whether `limit_ratio(ratio, …)` keeps `metric`; `ratio` in [−1, 1], a negative one keeping the complement. */
export function ratioKeeps(ratio: number, metric: Labels): boolean {
  const offset = sampleOffset(metric);
  return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio);
}

class KGroup {
  stamp = -1;
  readonly heap: Sample[] = [];
}

/** Evaluates one k-aggregation step by step; keeps its groups across steps. One per AggregateExpr. */
export class KAggregator {
  private readonly grouper: Grouper<KGroup>;
  private stamp = 0;

  constructor(
    private readonly op: AggregateOp,
    grouping: readonly string[],
    without: boolean,
  ) {
    this.grouper = new Grouper(grouping, without, () => new KGroup());
  }

  /**
   * The samples of `input` selected with parameter `param` (k, truncated toward zero, or the ratio), stamped
   * `ts`. Groups come in order of their first sample in `input`; within a group topk lists descending, bottomk
   * ascending (NaNs last), limitk and limit_ratio in upstream's heap order. `param` must not be NaN (the
   * caller's parameter check throws for it).
   */
  step(input: Vector, param: number, ts: number): Vector {
    const op = this.op;
    let k = 0;
    let ratio = 0;
    if (op === 'limit_ratio') {
      if (param === 0) return [];
      ratio = Math.min(1, Math.max(-1, param));
    } else {
      k = Math.trunc(param);
      if (!(k >= 1)) return [];
    }
    const stamp = ++this.stamp;
    const seen: KGroup[] = [];
    for (const s of input) {
      const g = this.grouper.groupOf(s.metric);
      const heap = g.heap;
      if (g.stamp !== stamp) {
        g.stamp = stamp;
        heap.length = 0;
        seen.push(g);
        if (op === 'limitk') heap.push(s);
        else if (op !== 'limit_ratio' || ratioKeeps(ratio, s.metric)) heapPush(heap, s, byValue);
        continue;
      }
      const top = heap[0] as Sample;
      switch (op) {
        case 'topk':
          if (heap.length < k) heapPush(heap, s, byValue);
          else if (top.f < s.f || (Number.isNaN(top.f) && !Number.isNaN(s.f))) {
            heap[0] = s;
            if (k > 1) heapFix(heap, 0, byValue);
          }
          break;
        case 'bottomk':
          if (heap.length < k) heapPush(heap, s, byReverseValue);
          else if (top.f > s.f || (Number.isNaN(top.f) && !Number.isNaN(s.f))) {
            heap[0] = s;
            if (k > 1) heapFix(heap, 0, byReverseValue);
          }
          break;
        case 'limitk':
          if (heap.length < k) heapPush(heap, s, byValue);
          break;
        default:
          if (ratioKeeps(ratio, s.metric)) heapPush(heap, s, byValue);
      }
    }
    const out: Vector = [];
    for (const g of seen) {
      if (op === 'topk' && g.heap.length > 1) goSort(g.heap, descending);
      else if (op === 'bottomk' && g.heap.length > 1) goSort(g.heap, ascending);
      for (const s of g.heap) out.push({ metric: s.metric, t: ts, f: s.f, dropName: s.dropName });
      g.heap.length = 0; // do not hold this step's samples until the next
    }
    return out;
  }
}
