import type { MetricFamily, MetricType } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { appendNonEmpty, type FamilyBuilder, family, push } from './families.ts';
import { isDue } from './options.ts';
import { type FileReader, trimEnd } from './read-file.ts';

/**
 * node_exporter's numeric netclass properties in its emission order: family suffix, /sys/class/net/<iface> file,
 * type, multiplier (speed is Mb/s, reported in bytes/s).
 */
const properties: readonly (readonly [string, string, MetricType, number])[] = [
  ['address_assign_type', 'addr_assign_type', 'gauge', 1],
  ['carrier', 'carrier', 'gauge', 1],
  ['carrier_changes_total', 'carrier_changes', 'counter', 1],
  ['carrier_up_changes_total', 'carrier_up_count', 'counter', 1],
  ['carrier_down_changes_total', 'carrier_down_count', 'counter', 1],
  ['device_id', 'dev_id', 'gauge', 1],
  ['dormant', 'dormant', 'gauge', 1],
  ['flags', 'flags', 'gauge', 1],
  ['iface_id', 'ifindex', 'gauge', 1],
  ['iface_link', 'iflink', 'gauge', 1],
  ['iface_link_mode', 'link_mode', 'gauge', 1],
  ['mtu_bytes', 'mtu', 'gauge', 1],
  ['name_assign_type', 'name_assign_type', 'gauge', 1],
  ['net_dev_group', 'netdev_group', 'gauge', 1],
  ['speed_bytes', 'speed', 'gauge', 125_000],
  ['transmit_queue_length', 'tx_queue_len', 'gauge', 1],
  ['protocol_type', 'type', 'gauge', 1],
];

/** Family name, type and help of each property, built once. */
const propertyFamilies = properties.map(
  ([n, , type]) => [`node_network_${n}`, type, `Network device property: ${n}`] as const,
);

/** One interface's /sys/class/net properties as last read. */
export interface NetClassIface {
  readonly name: string;
  readonly labels: Labels;
  /** When the slow properties were last read, ms. */
  readMs: number;
  operstate: string;
  address: string;
  broadcast: string;
  duplex: string;
  ifalias: string;
  /** Values of `properties` in order (already multiplied), NaN where the file is absent or unreadable. */
  readonly values: Float64Array;
  /** statistics/rx_nohandler, NaN when absent. */
  rxNohandler: number;
  info: Labels | null;
  infoKey: string;
}

/** A sysfs integer (decimal or 0x-hex, as dev_id and flags are written); NaN when absent or malformed. */
export function sysfsNumber(text: string | null): number {
  if (text === null) return Number.NaN;
  const s = text.trim();
  if (s === '') return Number.NaN;
  return Number(s);
}

/**
 * node_exporter's netclass collector: node_network_up, node_network_info and the numeric properties of every
 * interface. operstate (node_network_up, info's operstate) is read on every pass; the other properties, which change
 * rarely, every `slowRefreshMs` (and at once for a new interface): each is one sysfs file per interface, and a Docker
 * host has many veth interfaces. A property whose file is absent or unreadable (a down interface's carrier) is left
 * out, as node_exporter does.
 */
export class NetClassCollector {
  private readonly ifaces = new Map<string, NetClassIface>();
  private readonly live = new Set<string>();

  constructor(
    private readonly reader: FileReader,
    private readonly sysPath: string,
    private readonly slowRefreshMs: number,
  ) {}

  /** Reads what is due for the interfaces in `names` (every interface of the namespace) and forgets the others. */
  update(names: readonly string[], nowMs: number): void {
    const live = this.live;
    live.clear();
    for (const name of names) {
      live.add(name);
      let i = this.ifaces.get(name);
      if (i === undefined) {
        i = {
          name,
          labels: Labels.fromSortedFlat(['device', name]),
          readMs: Number.NEGATIVE_INFINITY,
          operstate: '',
          address: '',
          broadcast: '',
          duplex: '',
          ifalias: '',
          values: new Float64Array(properties.length),
          rxNohandler: Number.NaN,
          info: null,
          infoKey: '',
        };
        this.ifaces.set(name, i);
      }
      const dir = `${this.sysPath}/class/net/${name}/`;
      if (isDue(nowMs, i.readMs, this.slowRefreshMs)) {
        this.readSlow(i, dir);
        i.readMs = nowMs;
      } else {
        i.operstate = this.text(`${dir}operstate`, true);
      }
    }
    if (this.ifaces.size !== live.size) {
      for (const n of this.ifaces.keys()) {
        if (live.has(n)) continue;
        this.ifaces.delete(n);
        this.reader.forget(`${this.sysPath}/class/net/${n}/operstate`);
      }
    }
  }

  /** statistics/rx_nohandler of an interface as last read, NaN when unknown. */
  rxNohandler(name: string): number {
    return this.ifaces.get(name)?.rxNohandler ?? Number.NaN;
  }

  collect(out: MetricFamily[]): void {
    const up = family('node_network_up', 'gauge', "Value is 1 if operstate is 'up', 0 otherwise.");
    const info = family(
      'node_network_info',
      'gauge',
      'Non-numeric data from /sys/class/net/<iface>, value is always 1.',
    );
    const fams: FamilyBuilder[] = [];
    for (const [name, type, help] of propertyFamilies) fams.push(family(name, type, help));
    for (const i of this.ifaces.values()) {
      push(up, i.labels, i.operstate === 'up' ? 1 : 0);
      push(info, this.infoLabels(i), 1);
      for (let k = 0; k < properties.length; k++) {
        const v = i.values[k] as number;
        if (!Number.isNaN(v)) push(fams[k] as FamilyBuilder, i.labels, v);
      }
    }
    appendNonEmpty(out, up, info, ...fams);
  }

  private infoLabels(i: NetClassIface): Labels {
    const key = `${i.address}\0${i.broadcast}\0${i.duplex}\0${i.ifalias}\0${i.operstate}`;
    if (i.info === null || key !== i.infoKey) {
      i.info = Labels.fromObject({
        device: i.name,
        address: i.address,
        broadcast: i.broadcast,
        duplex: i.duplex,
        ifalias: i.ifalias,
        operstate: i.operstate,
      });
      i.infoKey = key;
    }
    return i.info;
  }

  private readSlow(i: NetClassIface, dir: string): void {
    i.operstate = this.text(`${dir}operstate`, true);
    i.address = this.text(`${dir}address`);
    i.broadcast = this.text(`${dir}broadcast`);
    i.duplex = this.text(`${dir}duplex`);
    i.ifalias = this.text(`${dir}ifalias`);
    for (let k = 0; k < properties.length; k++) {
      const [, file, , mul] = properties[k] as readonly [string, string, MetricType, number];
      const v = sysfsNumber(this.reader.tryRead(dir + file));
      i.values[k] = mul === 1 ? v : v * mul;
    }
    i.rxNohandler = sysfsNumber(this.reader.tryRead(`${dir}statistics/rx_nohandler`));
  }

  private text(path: string, keep = false): string {
    const t = this.reader.tryRead(path, true, keep);
    return t === null ? '' : trimEnd(t);
  }
}
