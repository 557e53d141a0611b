/** The `collector` section: container and host metrics read from cgroups, /proc and the Docker Engine API. */
import { bool, duration, list, type ObjectValue, object, optional, section, str, withDefault } from '../schema.ts';

export const collectorFields = {
  /** Collect container and host metrics inside `vigil start`. */
  enabled: withDefault(bool(), true),
  /** How often every container is read (the live view's resolution). */
  housekeeping_interval: withDefault(duration({ minMs: 100 }), 1000),
  /** How often the samples are stored in the TSDB. */
  store_interval: withDefault(duration({ minMs: 1000 }), 15_000),
  /** How much history each container's live ring keeps. */
  live_duration: withDefault(duration({ minMs: 10_000 }), 5 * 60_000),
  /** Root of the cgroup mounts. */
  cgroup_root: withDefault(str({ nonEmpty: true }), '/sys/fs/cgroup'),
  docker: section(
    object({
      /** Docker Engine API address: `unix:///path` or `tcp://host:port`; default DOCKER_HOST, else /var/run/docker.sock. */
      host: optional(str({ nonEmpty: true })),
      /** Ask Docker for container names, images and labels. */
      enabled: withDefault(bool(), true),
    }),
  ),
  /**
   * Docker label keys exported as `container_label_<key>` on every container series; `["*"]` exports every label
   * (cAdvisor's default, which multiplies series labels). Default: the compose project and service.
   */
  container_labels: withDefault(list(str({ nonEmpty: true })), () => [
    'com.docker.compose.project',
    'com.docker.compose.service',
  ]),
};

export const collectorSchema = object(collectorFields);
export type CollectorConfig = ObjectValue<typeof collectorFields>;
