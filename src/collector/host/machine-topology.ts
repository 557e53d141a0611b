import { parseCpuList } from './cpuinfo.ts';
import type { MachineCore, MachineNode, MachinePaths } from './machine.ts';
import { hugePages, int, listDir, onlineCpus } from './machine-devices.ts';
import type { FileReader } from './read-file.ts';

/**
 * The NUMA nodes with their cores (logical CPUs grouped by socket and core id), memory, huge pages and distances;
 * without NUMA in the kernel, one node 0 holding every online CPU and MemTotal. Caches are left empty.
 */
export function topology(r: FileReader, p: MachinePaths, memTotalBytes: number): MachineNode[] {
  const cpuDir = `${p.sysPath}/devices/system/cpu`;
  const nodeDir = `${p.sysPath}/devices/system/node`;
  const nodeIds = listDir(nodeDir)
    .map((n) => /^node(\d+)$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const online = onlineCpus(r, p, 0);
  const nodes: { id: number; cpus: number[] }[] =
    nodeIds.length > 0
      ? nodeIds.map((id) => ({ id, cpus: parseCpuList(r.tryRead(`${nodeDir}/node${id}/cpulist`) ?? '') }))
      : [{ id: 0, cpus: online }];
  return nodes.map(({ id, cpus }) => {
    const cores = new Map<string, MachineCore>();
    for (const cpu of cpus) {
      const core = int(r.tryRead(`${cpuDir}/cpu${cpu}/topology/core_id`));
      const socket = int(r.tryRead(`${cpuDir}/cpu${cpu}/topology/physical_package_id`));
      const coreId = Number.isNaN(core) ? cpu : core;
      const socketId = Number.isNaN(socket) ? 0 : socket;
      const key = `${socketId}/${coreId}`;
      let c = cores.get(key);
      if (c === undefined) {
        c = { core_id: coreId, thread_ids: [], caches: [], uncore_caches: [], socket_id: socketId };
        cores.set(key, c);
      }
      c.thread_ids.push(cpu);
    }
    let memory = Number.NaN;
    if (nodeIds.length > 0) {
      const mi = r.tryRead(`${nodeDir}/node${id}/meminfo`) ?? '';
      const m = /MemTotal:\s+(\d+)\s*kB/.exec(mi);
      if (m !== null) memory = Number(m[1]) * 1024;
    } else {
      memory = memTotalBytes;
    }
    const distances = (r.tryRead(`${nodeDir}/node${id}/distance`) ?? '')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
    return {
      node_id: id,
      memory: Number.isNaN(memory) ? 0 : memory,
      hugepages: hugePages(r, `${nodeDir}/node${id}/hugepages`),
      cores: [...cores.values()].sort((a, b) => a.socket_id - b.socket_id || a.core_id - b.core_id),
      caches: [],
      distances,
    };
  });
}
