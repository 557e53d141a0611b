import type { MetricFamily } from '../../exposition/index.ts';
import { single } from './families.ts';

/** SELinux mode from /etc/selinux/config's SELINUX= (1 enforcing, 0 permissive, -1 disabled), NaN when unknown. */
export function selinuxConfigMode(config: string | null): number {
  if (config === null) return Number.NaN;
  const m = /^\s*SELINUX\s*=\s*(\w+)/m.exec(config);
  switch (m?.[1]) {
    case 'enforcing':
      return 1;
    case 'permissive':
      return 0;
    case 'disabled':
      return -1;
    default:
      return Number.NaN;
  }
}

/**
 * node_exporter's selinux collector: node_selinux_enabled (0 when selinuxfs's `enforce` is absent) and, when enabled,
 * node_selinux_current_mode (`enforce`) and node_selinux_config_mode (/etc/selinux/config).
 */
export function collectSelinux(enforce: string | null, config: string | null, out: MetricFamily[]): void {
  if (enforce === null) {
    out.push(single('node_selinux_enabled', 'gauge', 'SELinux is enabled, 1 is true, 0 is false', 0));
    return;
  }
  out.push(single('node_selinux_enabled', 'gauge', 'SELinux is enabled, 1 is true, 0 is false', 1));
  const current = Number(enforce.trim());
  if (Number.isFinite(current)) {
    out.push(single('node_selinux_current_mode', 'gauge', 'Current SELinux enforcement mode', current));
  }
  const mode = selinuxConfigMode(config);
  if (!Number.isNaN(mode)) {
    out.push(single('node_selinux_config_mode', 'gauge', 'Configured SELinux enforcement mode', mode));
  }
}
