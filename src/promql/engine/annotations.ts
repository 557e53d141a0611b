/**
 * Warnings and infos a query collects on its way (upstream's `util/annotations`). Each reads
 * `PromQL warning: <text> (<line>:<col>)`, the position being where the offending expression starts.
 */
import { type Expr, type PositionRange, positionRange, startPosInput } from '../parser/index.ts';

export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  /** `query` is the query text, used to turn a byte offset into line:col. */
  constructor(private readonly query: string) {}

  warn(text: string, where: Expr | PositionRange | null): void {
    this.warnings.add(`PromQL warning: ${text}${this.position(where)}`);
  }

  info(text: string, where: Expr | PositionRange | null): void {
    this.infos.add(`PromQL info: ${text}${this.position(where)}`);
  }

  merge(other: Annotations): void {
    for (const w of other.warnings) this.warnings.add(w);
    for (const i of other.infos) this.infos.add(i);
  }

  private position(where: Expr | PositionRange | null): string {
    if (where === null) return '';
    const start = 'start' in where && !('type' in where) ? where.start : positionRange(where as Expr).start;
    return ` (${startPosInput(this.query, start)})`;
  }
}
