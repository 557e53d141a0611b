import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { appendNonEmpty, type FamilyBuilder, family, push } from './families.ts';
import type { NetClassCollector } from './netclass.ts';
import { netdevColumns, netdevFields, parseNetDev } from './netdev.ts';

/** Family name and help of each /proc/net/dev column, built once. */
const netdevFamilies = netdevFields.map((f) => [`node_network_${f}_total`, `Network device statistic ${f}.`] as const);

/** What the network collector knows about one /proc/net/dev line (cached by line number). */
interface NetLine {
  readonly name: string;
  readonly excluded: boolean;
  readonly labels: Labels;
}

/**
 * node_exporter's netdev collector (node_network_*_total by device, from /proc/net/dev, which holds the same counters
 * as the netlink stats node_exporter 1.5 reads, folded the same way) and, through `netclass`, its netclass collector
 * for every interface /proc/net/dev lists.
 */
export class NetworkCollector {
  private readonly lines: (NetLine | undefined)[] = [];
  private readonly stats = new Float64Array(netdevColumns);
  private readonly names: string[] = [];
  private readonly active: NetLine[] = [];

  constructor(
    private readonly exclude: RegExp | null,
    private readonly netclass: NetClassCollector,
  ) {}

  collect(text: string, nowMs: number, out: MetricFamily[]): void {
    const fams: FamilyBuilder[] = [];
    for (const [name, help] of netdevFamilies) fams.push(family(name, 'counter', help));
    const nohandler = family(
      'node_network_receive_nohandler_total',
      'counter',
      'Network device statistic receive_nohandler.',
    );
    const stats = this.stats;
    const names = this.names;
    const active = this.active;
    names.length = 0;
    active.length = 0;
    parseNetDev(text, stats, (i, start, end) => {
      let d = this.lines[i];
      if (d === undefined || end - start !== d.name.length || !text.startsWith(d.name, start)) {
        const name = text.slice(start, end);
        const excluded = this.exclude?.test(name) ?? false;
        d = { name, excluded, labels: Labels.fromSortedFlat(['device', name]) };
        this.lines[i] = d;
      }
      names.push(d.name);
      if (d.excluded) return;
      active.push(d);
      for (let k = 0; k < netdevColumns; k++) push(fams[k] as FamilyBuilder, d.labels, stats[k] as number);
    });
    this.netclass.update(names, nowMs);
    for (const d of active) {
      const v = this.netclass.rxNohandler(d.name);
      if (!Number.isNaN(v)) push(nohandler, d.labels, v);
    }
    appendNonEmpty(out, ...fams.slice(0, 8), nohandler, ...fams.slice(8));
    this.netclass.collect(out);
  }
}
