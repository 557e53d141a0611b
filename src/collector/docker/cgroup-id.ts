/** Which cgroups belong to a container runtime, and the container id each names. */

/** A 64-hex id standing alone or delimited by non-hex characters (`docker-<id>.scope`). */
const idPattern = /(?:^|[^0-9a-f])([0-9a-f]{64})(?![0-9a-f])/;

/**
 * The container id a cgroup path names, as cAdvisor's Docker factory finds it: the last path element must
 * contain a 64-hex id. Matches `/docker/<id>` (cgroupfs driver), `/system.slice/docker-<id>.scope` (systemd
 * driver), `/machine.slice/libpod-<id>.scope` (podman), and containerd/CRI-O/Kubernetes paths whose last element
 * carries the id (`/kubepods/burstable/pod<uid>/<id>`, `…/cri-containerd-<id>.scope`, `…/crio-<id>.scope`).
 * Undefined for `*.mount` cgroups, for podman's and CRI-O's `*conmon-<id>.scope` (the monitor process, not the
 * container — cAdvisor takes those too, and shows the container twice), for cgroups nested inside a container
 * (`/docker/<id>/init.scope`), and for everything else. Whether the runtime knows the id is the caller's
 * question. `cgroupId` is cAdvisor's container name, a path relative to the hierarchy root.
 */
export function containerIdFromCgroup(cgroupId: string): string | undefined {
  let end = cgroupId.length;
  while (end > 0 && cgroupId.charCodeAt(end - 1) === 0x2f) end--;
  const base = cgroupId.slice(cgroupId.lastIndexOf('/', end - 1) + 1, end);
  if (base.length < 64 || base.endsWith('.mount') || base.includes('conmon-')) return undefined;
  return idPattern.exec(base)?.[1];
}

/** True for a full 64-hex container id. */
export function isContainerId(s: string): boolean {
  return s.length === 64 && /^[0-9a-f]{64}$/.test(s);
}
