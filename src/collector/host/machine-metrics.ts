import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { family, push } from './families.ts';
import type { MachineInventory } from './machine.ts';

/** cAdvisor's machine_* families (the inventory ones; DIMM and NVM families need hardware interfaces vigil lacks). */
export class MachineMetrics {
  private labels: Labels = Labels.empty;
  private key = '';

  /**
   * machine_cpu_cores, _physical_cores, _sockets, machine_memory_bytes and machine_swap_bytes, labelled machine_id,
   * system_uuid and boot_id as cAdvisor labels them (an empty system_uuid is no label). Memory NaN → not exposed.
   */
  collect(inv: MachineInventory, memTotalBytes: number, swapTotalBytes: number, out: MetricFamily[]): void {
    const key = `${inv.machineId}\0${inv.systemUuid}\0${inv.bootId}`;
    if (key !== this.key) {
      this.labels = Labels.fromObject({ machine_id: inv.machineId, system_uuid: inv.systemUuid, boot_id: inv.bootId });
      this.key = key;
    }
    const l = this.labels;
    const add = (name: string, help: string, value: number) => {
      if (Number.isNaN(value)) return;
      const f = family(name, 'gauge', help);
      push(f, l, value);
      out.push(f);
    };
    add('machine_cpu_physical_cores', 'Number of physical CPU cores.', inv.numPhysicalCores);
    add('machine_cpu_cores', 'Number of logical CPU cores.', inv.numCores);
    add('machine_cpu_sockets', 'Number of CPU sockets.', inv.numSockets);
    add('machine_memory_bytes', 'Amount of memory installed on the machine.', memTotalBytes);
    add('machine_swap_bytes', 'Amount of swap memory available on the machine.', swapTotalBytes);
  }
}
