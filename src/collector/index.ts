/** The collector: container and host metrics from cgroups, /proc and the Docker Engine API, with live stats. */
export type { CollectorOptions, LiveListener, TrackedContainer } from './collector.ts';
export { Collector } from './collector.ts';
export type { ContainerView } from './families.ts';
export { FamilyBuilder } from './families.ts';
export type { LiveSummary } from './live.ts';
export type { LivePoint } from './live-api.ts';
export { LiveApi } from './live-api.ts';
export type { ProblemLog } from './problems.ts';
export { LoggedProblems } from './problems.ts';
export { counterRate, StatsRing } from './ring.ts';
export type {
  BlockDeviceStats,
  ContainerMeta,
  ContainerRef,
  ContainerSpec,
  ContainerStats,
  CpuStats,
  InterfaceStats,
  MemoryStats,
  ProcessStats,
} from './types.ts';
