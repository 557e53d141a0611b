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
  }

  /** The first phrase occurrence in `text` (the longest one ending at the earliest end), or undefined. */
  find(text: string): string | undefined {
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

const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
