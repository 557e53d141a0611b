import { closeSync, openSync, readSync } from 'node:fs';
import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

const cur = new TextCursor();

/** The kernel's page size in bytes: KernelPageSize of this process's first mapping, else 4096. */
export function pageSize(procPath: string): number {
  try {
    const fd = openSync(`${procPath}/self/smaps`, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, null);
      const m = /KernelPageSize:\s+(\d+) kB/.exec(buf.toString('latin1', 0, n));
      if (m !== null) return Number(m[1]) * 1024;
    } finally {
      closeSync(fd);
    }
  } catch {
    // Fall through to the common page size.
  }
  return 4096;
}

/**
 * node_exporter's sockstat collector: node_sockstat_sockets_used, node_sockstat_<PROTO>_<field> for every field of
 * /proc/net/sockstat and sockstat6 (TCP_inuse, TCP6_inuse, FRAG_memory…), and <PROTO>_mem_bytes (pages × page size).
 */
export function collectSockstat(v4: string | null, v6: string | null, pageBytes: number, out: MetricFamily[]): void {
  for (const text of [v4, v6]) {
    if (text === null) continue;
    const c = cur.reset(text);
    do {
      const proto = c.field();
      if (!proto.endsWith(':')) continue;
      const p = proto.slice(0, -1);
      while (!c.atEol()) {
        const field = c.field();
        const v = c.number();
        if (Number.isNaN(v)) break;
        if (p === 'sockets' && field === 'used') {
          out.push(single('node_sockstat_sockets_used', 'gauge', 'Number of IPv4 sockets in use.', v));
          continue;
        }
        out.push(single(`node_sockstat_${p}_${field}`, 'gauge', `Number of ${p} sockets in state ${field}.`, v));
        if (field === 'mem') {
          out.push(
            single(
              `node_sockstat_${p}_mem_bytes`,
              'gauge',
              `Number of ${p} sockets in state mem_bytes.`,
              v * pageBytes,
            ),
          );
        }
      }
    } while (c.nextLine());
  }
}
