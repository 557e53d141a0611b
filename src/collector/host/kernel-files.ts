import type { MetricFamily } from '../../exposition/index.ts';
import { TextCursor } from './cursor.ts';
import { single } from './families.ts';

const cur = new TextCursor();

/** node_exporter's filefd collector, from /proc/sys/fs/file-nr (`allocated unused maximum`). */
export function collectFilefd(text: string, out: MetricFamily[]): void {
  const c = cur.reset(text);
  const allocated = c.number();
  c.skipField();
  const maximum = c.number();
  if (Number.isNaN(allocated) || Number.isNaN(maximum)) return;
  out.push(single('node_filefd_allocated', 'gauge', 'File descriptor statistics: allocated.', allocated));
  out.push(single('node_filefd_maximum', 'gauge', 'File descriptor statistics: maximum.', maximum));
}

/** node_exporter's entropy collector, from /proc/sys/kernel/random/{entropy_avail,poolsize} (null when unreadable). */
export function collectEntropy(avail: string | null, poolSize: string | null, out: MetricFamily[]): void {
  const a = avail === null ? Number.NaN : cur.reset(avail).number();
  if (!Number.isNaN(a)) out.push(single('node_entropy_available_bits', 'gauge', 'Bits of available entropy.', a));
  const p = poolSize === null ? Number.NaN : cur.reset(poolSize).number();
  if (!Number.isNaN(p)) out.push(single('node_entropy_pool_size_bits', 'gauge', 'Bits of entropy pool.', p));
}
