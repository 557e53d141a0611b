/** What /proc/cpuinfo says about the CPUs, as cAdvisor counts them. */
export interface CpuinfoSummary {
  /** `processor` entries: online logical CPUs. */
  readonly logical: number;
  /** Distinct (`physical id`, `core id`) pairs; 0 when the file has no `core id` (many ARM kernels). */
  readonly physicalCores: number;
  /** Distinct `physical id`s; 0 when absent. */
  readonly sockets: number;
  /** The first `cpu MHz` (or `CPU MHz`, `clock`) in kHz, 0 when absent. */
  readonly clockKhz: number;
  /** The first `vendor_id`, '' when absent. */
  readonly vendorId: string;
}

/** Parses /proc/cpuinfo (`key<tabs>: value` lines, one blank-line-separated block per logical CPU). */
export function parseCpuinfo(text: string): CpuinfoSummary {
  let logical = 0;
  let clockKhz = 0;
  let vendorId = '';
  let physical = '';
  const cores = new Set<string>();
  const sockets = new Set<string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'processor':
        logical++;
        physical = '';
        break;
      case 'physical id':
        physical = value;
        sockets.add(value);
        break;
      case 'core id':
        cores.add(`${physical}/${value}`);
        break;
      case 'vendor_id':
        if (vendorId === '') vendorId = value;
        break;
      case 'cpu MHz':
      case 'CPU MHz':
      case 'clock':
        if (clockKhz === 0) {
          const mhz = Number.parseFloat(value);
          if (Number.isFinite(mhz)) clockKhz = Math.trunc(mhz * 1000);
        }
        break;
    }
  }
  return { logical, physicalCores: cores.size, sockets: sockets.size, clockKhz, vendorId };
}

/** Parses a sysfs CPU list (`0-3,8,10-11`) into CPU numbers, ascending as written. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const dash = part.indexOf('-');
    const lo = Number(dash < 0 ? part : part.slice(0, dash));
    const hi = dash < 0 ? lo : Number(part.slice(dash + 1));
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) continue;
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return out;
}
