/** Container cgroups: discovery of every cgroup (v1 per controller, v2 unified) and one read of one container. */
export type { CgroupDiscoveryOptions } from './discovery.ts';
export { CgroupDiscovery } from './discovery.ts';
export type { CgroupLayout, Hierarchy } from './mounts.ts';
export type { CgroupReaderOptions, ContainerRead } from './read.ts';
export { CgroupReader, readContainer, releaseSharedReader } from './read.ts';
