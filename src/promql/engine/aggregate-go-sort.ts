/**
 * Go's `container/heap` and `sort.Sort` over a JavaScript array, step for step. The aggregations order samples
 * with comparators that are not strict weak orders (a NaN is "less" than everything, itself included) and break
 * ties by position, so which sample `topk` keeps, the order it prints, and even the sign of a zero `quantile`
 * depend on the exact sequence of comparisons and swaps Go makes. Array.prototype.sort would give other answers.
 */

/** The comparator of a Go `sort.Interface`: `less(a, b)` is `Less(i, j)` for the elements at i and j. */
export type Less<T> = (a: T, b: T) => boolean;

function swap<T>(data: T[], i: number, j: number): void {
  const t = data[i] as T;
  data[i] = data[j] as T;
  data[j] = t;
}

const lessAt = <T>(data: T[], less: Less<T>, i: number, j: number): boolean => less(data[i] as T, data[j] as T);

function heapUp<T>(h: T[], less: Less<T>, j: number): void {
  while (j > 0) {
    const parent = (j - 1) >> 1;
    if (!lessAt(h, less, j, parent)) break;
    swap(h, parent, j);
    j = parent;
  }
}

function heapDown<T>(h: T[], less: Less<T>, i0: number, n: number): boolean {
  let i = i0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    let j = left;
    if (left + 1 < n && lessAt(h, less, left + 1, left)) j = left + 1;
    if (!lessAt(h, less, j, i)) break;
    swap(h, i, j);
    i = j;
  }
  return i > i0;
}

/** `heap.Push`: appends `x` and restores the heap order (smallest by `less` at index 0). */
export function heapPush<T>(h: T[], x: T, less: Less<T>): void {
  h.push(x);
  heapUp(h, less, h.length - 1);
}

/** `heap.Fix`: restores the heap order after `h[i]` changed. */
export function heapFix<T>(h: T[], i: number, less: Less<T>): void {
  if (!heapDown(h, less, i, h.length)) heapUp(h, less, i);
}

/** `sort.Sort` (pattern-defeating quicksort, not stable): sorts `data` in place exactly as Go would. */
export function goSort<T>(data: T[], less: Less<T>): void {
  const n = data.length;
  if (n <= 1) return;
  pdqsort(new Sorter(data, less), 0, n, 32 - Math.clz32(n));
}

class Sorter<T> {
  constructor(
    readonly data: T[],
    private readonly lessFn: Less<T>,
  ) {}
  less(i: number, j: number): boolean {
    return this.lessFn(this.data[i] as T, this.data[j] as T);
  }
  swap(i: number, j: number): void {
    swap(this.data, i, j);
  }
}

enum Hint {
  Unknown,
  Increasing,
  Decreasing,
}

function insertionSort<T>(s: Sorter<T>, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && s.less(j, j - 1); j--) s.swap(j, j - 1);
}

function siftDown<T>(s: Sorter<T>, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && s.less(first + child, first + child + 1)) child++;
    if (!s.less(first + root, first + child)) return;
    s.swap(first + root, first + child);
    root = child;
  }
}

function heapSort<T>(s: Sorter<T>, a: number, b: number): void {
  const hi = b - a;
  for (let i = (hi - 1) >> 1; i >= 0; i--) siftDown(s, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) {
    s.swap(a, a + i);
    siftDown(s, 0, i, a);
  }
}

function pdqsort<T>(s: Sorter<T>, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertionSort(s, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(s, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(s, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(s, a, b);
    if (hint === Hint.Decreasing) {
      reverseRange(s, a, b);
      pivot = b - 1 - (pivot - a);
      hint = Hint.Increasing;
    }
    if (wasBalanced && wasPartitioned && hint === Hint.Increasing && partialInsertionSort(s, a, b)) return;
    if (a > 0 && !s.less(a - 1, pivot)) {
      a = partitionEqual(s, a, b, pivot);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(s, a, b, pivot);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = length >> 3;
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(s, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(s, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition<T>(s: Sorter<T>, a: number, b: number, pivot: number): [number, boolean] {
  s.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && s.less(i, a)) i++;
  while (i <= j && !s.less(j, a)) j--;
  if (i > j) {
    s.swap(j, a);
    return [j, true];
  }
  s.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && s.less(i, a)) i++;
    while (i <= j && !s.less(j, a)) j--;
    if (i > j) break;
    s.swap(i, j);
    i++;
    j--;
  }
  s.swap(j, a);
  return [j, false];
}

function partitionEqual<T>(s: Sorter<T>, a: number, b: number, pivot: number): number {
  s.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !s.less(a, i)) i++;
    while (i <= j && s.less(a, j)) j--;
    if (i > j) return i;
    s.swap(i, j);
    i++;
    j--;
  }
}

function partialInsertionSort<T>(s: Sorter<T>, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !s.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    s.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1 && s.less(j, j - 1); j--) s.swap(j, j - 1);
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b && s.less(j, j - 1); j++) s.swap(j, j - 1);
    }
  }
  return false;
}

function breakPatterns<T>(s: Sorter<T>, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length); // Go's xorshift, seeded with the length
  const mask = BigInt(2 ** (32 - Math.clz32(length)) - 1);
  const mid = a + (length >> 2) * 2;
  for (let idx = mid - 1; idx <= mid + 1; idx++) {
    random = BigInt.asUintN(64, random ^ (random << 13n));
    random ^= random >> 17n;
    random = BigInt.asUintN(64, random ^ (random << 5n));
    let other = Number(random & mask);
    if (other >= length) other -= length;
    s.swap(idx, a + other);
  }
}

function choosePivot<T>(s: Sorter<T>, a: number, b: number): [number, Hint] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + (l >> 2);
  let j = a + (l >> 2) * 2;
  let k = a + (l >> 2) * 3;
  if (l >= 8) {
    if (l >= 50) {
      i = median(s, i - 1, i, i + 1, swaps);
      j = median(s, j - 1, j, j + 1, swaps);
      k = median(s, k - 1, k, k + 1, swaps);
    }
    j = median(s, i, j, k, swaps);
  }
  if (swaps.n === 0) return [j, Hint.Increasing];
  if (swaps.n === 12) return [j, Hint.Decreasing];
  return [j, Hint.Unknown];
}

function median<T>(s: Sorter<T>, a: number, b: number, c: number, swaps: { n: number }): number {
  if (s.less(b, a)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  if (s.less(c, b)) {
    swaps.n++;
    [b, c] = [c, b];
  }
  if (s.less(b, a)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  return b;
}

function reverseRange<T>(s: Sorter<T>, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) s.swap(i, j);
}
