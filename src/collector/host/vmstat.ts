import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

/** node_exporter's default `--collector.vmstat.fields`. */
export const vmstatDefaultFields = /^(oom_kill|pgpg|pswp|pg.*fault).*/;

/** A /proc/vmstat line as last seen at its position: its name, and the family when the field is kept. */
interface VmstatLine {
  readonly raw: string;
  readonly name: string | null;
  readonly help: string;
}

const cur = new TextCursor();

/**
 * node_exporter's vmstat collector: node_vmstat_<field> (untyped) for the fields matching `fields`. The field regex
 * runs once per field name, not per pass: lines are matched to their cached decision by position.
 */
export class VmstatCollector {
  private readonly lines: (VmstatLine | undefined)[] = [];

  constructor(private readonly fields: RegExp = vmstatDefaultFields) {}

  collect(text: string, out: MetricFamily[]): void {
    const c = cur.reset(text);
    let i = 0;
    do {
      const t = c.text;
      const p = c.pos;
      let l = this.lines[i];
      if (l === undefined || !t.startsWith(l.raw, p) || t.charCodeAt(p + l.raw.length) !== 32) {
        const sp = t.indexOf(' ', p);
        const eol = t.indexOf('\n', p);
        if (sp < 0 || (eol >= 0 && sp > eol)) continue;
        const raw = t.slice(p, sp);
        l = this.fields.test(raw)
          ? { raw, name: `node_vmstat_${raw}`, help: `/proc/vmstat information field ${raw}.` }
          : { raw, name: null, help: '' };
        this.lines[i] = l;
      }
      i++;
      if (l.name === null) continue;
      c.advance(l.raw.length);
      const v = c.number();
      if (!Number.isNaN(v)) out.push(single(l.name, 'unknown', l.help, v));
    } while (c.nextLine());
  }
}
