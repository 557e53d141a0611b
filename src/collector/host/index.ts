export { collectHost, HostCollector } from './collect.ts';
export { HostOptionError } from './errors.ts';
export type {
  MachineCache,
  MachineCore,
  MachineDisk,
  MachineFilesystem,
  MachineHugePages,
  MachineInfo,
  MachineNetworkDevice,
  MachineNode,
} from './machine.ts';
export { machineInfo } from './machine.ts';
export type { HostCollectorOptions } from './options.ts';
export { debianExcludes, upstreamExcludes } from './options.ts';
export type { ProblemLog } from './problems.ts';
export { silentProblems } from './problems.ts';
