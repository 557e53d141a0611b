import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

/** node_exporter 1.5's default `--collector.netstat.fields`. */
export const netstatDefaultFields =
  /^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$/;

/** A kept column: its position among the values and its family. */
interface Column {
  readonly index: number;
  readonly name: string;
  readonly help: string;
}

/** A header line of /proc/net/{netstat,snmp} as last seen, with the columns it keeps. */
interface Header {
  readonly text: string;
  readonly columns: readonly Column[];
}

/** A /proc/net/snmp6 line as last seen: its key and its family, null when not kept. */
interface Snmp6Line {
  readonly key: string;
  readonly family: { readonly name: string; readonly help: string } | null;
}

const cur = new TextCursor();

/**
 * node_exporter's netstat collector: node_netstat_<Protocol>_<Name> (untyped) for the fields matching `fields`,
 * from /proc/net/netstat and /proc/net/snmp (header line, value line per protocol) and /proc/net/snmp6 (`Ip6InOctets
 * 123` per line). The field regex runs once per header, not per pass: headers are matched to their cached columns by
 * position.
 */
export class NetstatCollector {
  private readonly headers: (Header | undefined)[] = [];
  private readonly snmp6: (Snmp6Line | undefined)[] = [];

  constructor(private readonly fields: RegExp = netstatDefaultFields) {}

  /** `netstat` and `snmp` are the two files in that order; null for one that cannot be read. */
  collect(netstat: string | null, snmp: string | null, snmp6: string | null, out: MetricFamily[]): void {
    let h = 0;
    for (const text of [netstat, snmp]) {
      if (text === null) continue;
      const c = cur.reset(text);
      do {
        const header = this.header(h++, c.text, c.pos);
        if (!c.nextLine()) break;
        if (header === null) continue;
        c.skipField(); // `TcpExt:`
        let col = 0;
        let next = 0;
        while (next < header.columns.length && !c.atEol()) {
          const want = header.columns[next] as Column;
          if (col === want.index) {
            const v = c.number();
            if (!Number.isNaN(v)) out.push(single(want.name, 'unknown', want.help, v));
            next++;
          } else {
            c.skipField();
          }
          col++;
        }
      } while (c.nextLine());
    }
    if (snmp6 !== null) this.collectSnmp6(snmp6, out);
  }

  private header(i: number, t: string, p: number): Header | null {
    const eol = t.indexOf('\n', p);
    const end = eol < 0 ? t.length : eol;
    const cached = this.headers[i];
    if (cached !== undefined && end - p === cached.text.length && t.startsWith(cached.text, p)) return cached;
    const text = t.slice(p, end);
    const colon = text.indexOf(':');
    if (colon <= 0) return null;
    const proto = text.slice(0, colon);
    const columns: Column[] = [];
    text
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .forEach((field, index) => {
        const key = `${proto}_${field}`;
        if (this.fields.test(key))
          columns.push({ index, name: `node_netstat_${key}`, help: `Statistic ${proto}${field}.` });
      });
    const h = { text, columns };
    this.headers[i] = h;
    return h;
  }

  private collectSnmp6(text: string, out: MetricFamily[]): void {
    const c = cur.reset(text);
    let i = 0;
    do {
      const t = c.text;
      const p = c.pos;
      let l = this.snmp6[i];
      if (l === undefined || !t.startsWith(l.key, p) || !isBlank(t.charCodeAt(p + l.key.length))) {
        const key = c.field();
        c.pos = p;
        if (key === '') continue;
        // Ip6InOctets → protocol Ip6, name InOctets (node_exporter splits after the first 6).
        const six = key.indexOf('6');
        const proto = key.slice(0, six + 1);
        const name = key.slice(six + 1);
        const full = `${proto}_${name}`;
        l = {
          key,
          family:
            six > 0 && this.fields.test(full)
              ? { name: `node_netstat_${full}`, help: `Statistic ${proto}${name}.` }
              : null,
        };
        this.snmp6[i] = l;
      }
      i++;
      if (l.family === null) continue;
      c.advance(l.key.length);
      const v = c.number();
      if (!Number.isNaN(v)) out.push(single(l.family.name, 'unknown', l.family.help, v));
    } while (c.nextLine());
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
