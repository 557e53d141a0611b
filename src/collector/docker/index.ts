// The Docker side of the collector: where the daemon is, a small Engine API client, container identity by
// cgroup, and cAdvisor's container_label_* rules.
export type {
  DockerContainerInspect,
  DockerContainerSummary,
  DockerEvent,
  DockerVersion,
} from './api-types.ts';
export { containerIdFromCgroup, isContainerId } from './cgroup-id.ts';
export { DockerClient, type DockerClientOptions } from './client.ts';
export type { DockerClock, DockerTimer } from './clock.ts';
export {
  DockerClosedError,
  DockerError,
  type DockerErrorCode,
  DockerHostError,
  DockerOptionError,
  DockerResponseError,
  DockerResponseTooLargeError,
  DockerStatusError,
  DockerTimeoutError,
  DockerUnreachableError,
  isNotFound,
} from './errors.ts';
export type { DockerEventSubscription } from './events.ts';
export {
  type DockerEndpoint,
  type DockerHostSource,
  defaultDockerSocket,
  parseDockerHost,
  resolveDockerHost,
} from './host.ts';
export { containerLabelPrefix, containerLabels, sanitizeLabelName } from './labels.ts';
export { metaFromInspect } from './meta.ts';
export { DockerMetadata, type DockerMetadataOptions } from './metadata.ts';
export type { ProblemLog } from './problems.ts';
