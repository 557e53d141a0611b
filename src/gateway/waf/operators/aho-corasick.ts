/**
 * A multi-pattern matcher (Aho–Corasick) over Latin-1 strings, ASCII case-insensitive: finds whether any
 * of a set of phrases occurs in a text in one pass over the text.
 */
export class AhoCorasick {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Length of the longest phrase ending at each state (0: none). */
  private readonly out: number[] = [0];

  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      if (p === '') continue;
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = fold(p.charCodeAt(i));
        let t = this.next[s]?.get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push(0);
          this.next[s]?.set(c, t);
        }
        s = t;
      }
      this.out[s] = Math.max(this.out[s] ?? 0, p.length);
    }
    const queue: number[] = [];
    for (const t of (this.next[0] as Map<number, number>).values()) queue.push(t);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      for (const [c, t] of this.next[s] as Map<number, number>) {
        let f = this.fail[s] as number;
        while (f !== 0 && !this.next[f]?.has(c)) f = this.fail[f] as number;
        const ft = this.next[f]?.get(c);
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        if ((this.out[t] ?? 0) === 0) this.out[t] = this.out[this.fail[t] as number] ?? 0;
        queue.push(t);
      }
    }
    this.buildTable(queue);
  }

  /** Byte (case folded) to column of `table`; 0 for bytes no phrase holds. */
  private readonly classOf = new Uint8Array(256);
  private width = 0;
  /** Every transition, following failure links ahead of time: state × column to state. */
  private table: Int32Array | undefined;

  /** Builds the transition table unless it would exceed TABLE_MAX_ENTRIES. `order` is breadth-first. */
  private buildTable(order: readonly number[]): void {
    let classes = 1;
    for (const m of this.next) {
      for (const c of m.keys()) {
        if (c > 255) return;
        if (this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c + 32] as number;
    if (classes > 256 || this.next.length * classes > TABLE_MAX_ENTRIES) {
      this.classOf.fill(0);
      return;
    }
    const width = classes;
    const table = new Int32Array(this.next.length * width);
    const fill = (s: number): void => {
      const f = this.fail[s] as number;
      for (let k = 0; k < width; k++) table[s * width + k] = s === 0 ? 0 : (table[f * width + k] as number);
      for (const [c, t] of this.next[s] as Map<number, number>) table[s * width + (this.classOf[c] as number)] = t;
    };
    fill(0);
    for (const s of order) fill(s);
    this.width = width;
    this.table = table;
  }

  /**
   * The first phrase occurrence in `text` (the longest one ending at the earliest end), or undefined. Runs
   * the automaton as a table when one was built (see `buildTable`), which visits the same states.
   */
  find(text: string): string | undefined {
    const table = this.table;
    if (table !== undefined) {
      const classOf = this.classOf;
      const width = this.width;
      const out = this.out;
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        s = c < 256 ? (table[s * width + (classOf[c] as number)] as number) : 0;
        const len = out[s] as number;
        if (len > 0) return text.slice(i + 1 - len, i + 1);
      }
      return undefined;
    }
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      while (s !== 0 && !this.next[s]?.has(c)) s = this.fail[s] as number;
      s = this.next[s]?.get(c) ?? 0;
      const len = this.out[s] ?? 0;
      if (len > 0) return text.slice(i + 1 - len, i + 1);
    }
    return undefined;
  }
}

/** Table size limit, in entries (4 bytes each). */
const TABLE_MAX_ENTRIES = 1 << 21;

const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
