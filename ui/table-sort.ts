/** A table sorted by one column at a time: header buttons that choose it (again: reverse it) and the order. */
import { h } from './dom.ts';

export interface SortColumn<R> {
  readonly key: string;
  readonly title: string;
  /** Numeric columns sort largest first when chosen. */
  readonly num: boolean;
  value(row: R): number | string;
}

export class TableSort<R> {
  private descending = true;

  constructor(
    private readonly columns: readonly SortColumn<R>[],
    private key: string,
    /** The `data-*` attribute naming each header button's column (tests and focus keeping read it). */
    private readonly attribute: string,
    private readonly redraw: () => void,
  ) {}

  /** Orders two rows by the chosen column; 0 for a tie. */
  compare(a: R, b: R): number {
    const col = this.columns.find((c) => c.key === this.key) ?? (this.columns[0] as SortColumn<R>);
    const x = col.value(a);
    const y = col.value(b);
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return this.descending ? -d : d;
  }

  /** The header cells, each a button that sorts by its column. */
  heads(): HTMLElement[] {
    return this.columns.map((c) =>
      h(
        'th',
        {
          class: c.num ? 'num' : undefined,
          'aria-sort': c.key === this.key ? (this.descending ? 'descending' : 'ascending') : undefined,
        },
        h(
          'button',
          {
            type: 'button',
            [`data-${this.attribute}`]: c.key,
            onclick: () => {
              this.descending = c.key === this.key ? !this.descending : c.num;
              this.key = c.key;
              this.redraw();
            },
          },
          c.title,
          c.key === this.key ? (this.descending ? ' ▾' : ' ▴') : '',
        ),
      ),
    );
  }
}
