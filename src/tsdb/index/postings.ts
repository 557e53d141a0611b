/**
 * Postings: sorted lists of series refs, one per label pair, and the set operations queries combine them
 * with. Cursor-style like sample cursors: `next()`, `seek(ref)` (first ref >= ref, never moving back), `at()`.
 */

export interface Postings {
  next(): boolean;
  seek(ref: number): boolean;
  /** The current ref; valid after next()/seek() returned true. */
  at(): number;
  err(): Error | null;
}

/** Postings over a sorted array of refs (not copied; do not change it while reading). */
export class ListPostings implements Postings {
  private i = -1;

  constructor(private readonly refs: ArrayLike<number>) {}

  next(): boolean {
    if (this.i < this.refs.length) this.i++;
    return this.i < this.refs.length;
  }

  seek(ref: number): boolean {
    if (this.i < 0) this.i = 0;
    if (this.i >= this.refs.length) return false;
    if ((this.refs[this.i] as number) >= ref) return true;
    let lo = this.i + 1;
    let hi = this.refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.refs[mid] as number) < ref) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    return lo < this.refs.length;
  }

  at(): number {
    return this.refs[this.i] as number;
  }

  err(): Error | null {
    return null;
  }
}

export const emptyPostings: Postings = new ListPostings([]);

/** Refs present in every input. */
export function intersect(ps: readonly Postings[]): Postings {
  if (ps.length === 0) return emptyPostings;
  if (ps.length === 1) return ps[0] as Postings;
  return new IntersectPostings(ps);
}

class IntersectPostings implements Postings {
  private cur = -1;
  private error: Error | null = null;

  constructor(private readonly ps: readonly Postings[]) {}

  next(): boolean {
    const first = this.ps[0] as Postings;
    if (!first.next()) return this.done(first);
    return this.align(first.at());
  }

  seek(ref: number): boolean {
    if (this.cur >= ref) return true;
    return this.align(ref);
  }

  /** Moves every input to the smallest ref >= target that all of them hold. */
  private align(target: number): boolean {
    let t = target;
    for (;;) {
      let agreed = true;
      for (const p of this.ps) {
        if (!p.seek(t)) return this.done(p);
        if (p.at() > t) {
          t = p.at();
          agreed = false;
        }
      }
      if (agreed) {
        this.cur = t;
        return true;
      }
    }
  }

  private done(p: Postings): boolean {
    this.error ??= p.err();
    this.cur = Number.POSITIVE_INFINITY;
    return false;
  }

  at(): number {
    return this.cur;
  }

  err(): Error | null {
    return this.error;
  }
}

/** Refs present in any input, each once. */
export function merge(ps: readonly Postings[]): Postings {
  if (ps.length === 0) return emptyPostings;
  if (ps.length === 1) return ps[0] as Postings;
  return new MergePostings(ps);
}

class MergePostings implements Postings {
  private readonly live: boolean[];
  private started = false;
  private cur = -1;
  private error: Error | null = null;

  constructor(private readonly ps: readonly Postings[]) {
    this.live = ps.map(() => false);
  }

  next(): boolean {
    if (!this.started) {
      this.started = true;
      this.ps.forEach((p, i) => {
        this.live[i] = this.step(p, p.next());
      });
    } else {
      const c = this.cur;
      this.ps.forEach((p, i) => {
        if (this.live[i] && p.at() === c) this.live[i] = this.step(p, p.next());
      });
    }
    return this.pick();
  }

  seek(ref: number): boolean {
    if (this.started && this.cur >= ref) return true;
    this.started = true;
    this.ps.forEach((p, i) => {
      if (this.live[i] || this.cur < 0) this.live[i] = this.step(p, p.seek(ref));
    });
    return this.pick();
  }

  private step(p: Postings, ok: boolean): boolean {
    if (!ok) this.error ??= p.err();
    return ok;
  }

  private pick(): boolean {
    let best = Number.POSITIVE_INFINITY;
    this.ps.forEach((p, i) => {
      if (this.live[i] && p.at() < best) best = p.at();
    });
    this.cur = best;
    return best !== Number.POSITIVE_INFINITY && this.error === null;
  }

  at(): number {
    return this.cur;
  }

  err(): Error | null {
    return this.error;
  }
}

/** Refs of `full` that are not in `drop`. */
export function without(full: Postings, drop: Postings): Postings {
  return new WithoutPostings(full, drop);
}

class WithoutPostings implements Postings {
  private dropLive = true;
  private dropStarted = false;

  constructor(
    private readonly full: Postings,
    private readonly drop: Postings,
  ) {}

  next(): boolean {
    return this.full.next() && this.skipDropped();
  }

  seek(ref: number): boolean {
    return this.full.seek(ref) && this.skipDropped();
  }

  private skipDropped(): boolean {
    for (;;) {
      const r = this.full.at();
      if (this.dropLive && (!this.dropStarted || this.drop.at() < r)) {
        this.dropStarted = true;
        this.dropLive = this.drop.seek(r);
      }
      if (!this.dropLive || this.drop.at() !== r) return true;
      if (!this.full.next()) return false;
    }
  }

  at(): number {
    return this.full.at();
  }

  err(): Error | null {
    return this.full.err() ?? this.drop.err();
  }
}

/** Reads postings into an array (for tests and small sets). */
export function expand(p: Postings): number[] {
  const out: number[] = [];
  while (p.next()) out.push(p.at());
  return out;
}
