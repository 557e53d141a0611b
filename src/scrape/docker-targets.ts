/**
 * Docker Engine API objects to targets, as Prometheus' `discovery/moby` docker.go: one target per container
 * network and TCP port, or one per network on the fallback port, with the `__meta_docker_*` labels.
 */
import type { LabelMap, TargetGroup } from './discovery.ts';

/** The fields of `GET /containers/json` items that discovery reads. */
export interface DockerContainer {
  Id: string;
  Names?: string[] | null;
  Labels?: Record<string, string> | null;
  HostConfig?: { NetworkMode?: string } | null;
  NetworkSettings?: { Networks?: Record<string, DockerEndpoint | null> | null } | null;
  Ports?: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }> | null;
}

/** A container's endpoint on one network. */
export interface DockerEndpoint {
  NetworkID?: string;
  IPAddress?: string;
}

/** The fields of `GET /networks` items that discovery reads. */
export interface DockerNetwork {
  Id: string;
  Name?: string;
  Scope?: string;
  Internal?: boolean;
  Ingress?: boolean;
  Labels?: Record<string, string> | null;
}

/** The `docker_sd_configs` keys that shape targets. */
export interface DockerTargetOptions {
  /** For containers that publish no TCP port. */
  port: number;
  /** The address of containers on the host network. */
  hostNetworkingHost: string;
  /** Use only the first network (by name) of a container on several. */
  matchFirstNetwork: boolean;
}

const prefix = '__meta_docker_';

/** Prometheus' `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function networkLabels(networks: readonly DockerNetwork[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const n of networks) {
    const l: Record<string, string> = {
      [`${prefix}network_id`]: n.Id,
      [`${prefix}network_name`]: n.Name ?? '',
      [`${prefix}network_scope`]: n.Scope ?? '',
      [`${prefix}network_internal`]: String(n.Internal === true),
      [`${prefix}network_ingress`]: String(n.Ingress === true),
    };
    for (const [k, v] of Object.entries(n.Labels ?? {})) l[`${prefix}network_label_${sanitizeLabelName(k)}`] = v;
    out.set(n.Id, l);
  }
  return out;
}

const joinHostPort = (host: string, port: string | number) =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** The single group (`Docker`) of a refresh. Networks are visited in name order. */
export function dockerTargetGroup(
  containers: readonly DockerContainer[],
  networks: readonly DockerNetwork[],
  o: DockerTargetOptions,
): TargetGroup {
  const netLabels = networkLabels(networks);
  const byId = new Map(containers.map((c) => [c.Id, c]));
  const targets: LabelMap[] = [];
  for (const c of containers) {
    const name = c.Names?.[0];
    if (name === undefined) continue;
    const mode = c.HostConfig?.NetworkMode ?? '';
    const common: Record<string, string> = {
      [`${prefix}container_id`]: c.Id,
      [`${prefix}container_name`]: name,
      [`${prefix}container_network_mode`]: mode,
    };
    for (const [k, v] of Object.entries(c.Labels ?? {})) common[`${prefix}container_label_${sanitizeLabelName(k)}`] = v;

    let nets = c.NetworkSettings?.Networks ?? {};
    // A container sharing another's network stack (network_mode container:<id>) uses that one's networks.
    let shared = mode;
    for (let hops = 0; Object.keys(nets).length === 0 && shared.startsWith('container:') && hops < 10; hops++) {
      const other = byId.get(shared.slice('container:'.length));
      if (other === undefined) break;
      nets = other.NetworkSettings?.Networks ?? {};
      shared = other.HostConfig?.NetworkMode ?? '';
    }
    let names = Object.keys(nets)
      .filter((k) => nets[k] != null)
      .sort();
    if (o.matchFirstNetwork && names.length > 1) names = names.slice(0, 1);

    for (const netName of names) {
      const n = nets[netName] as DockerEndpoint;
      const ip = n.IPAddress ?? '';
      const base = { [`${prefix}network_ip`]: ip };
      const net = netLabels.get(n.NetworkID ?? '') ?? {};
      let added = false;
      for (const p of c.Ports ?? []) {
        if (p.Type !== 'tcp') continue;
        const l: Record<string, string> = { ...base, [`${prefix}port_private`]: String(p.PrivatePort) };
        if ((p.PublicPort ?? 0) > 0) {
          l[`${prefix}port_public`] = String(p.PublicPort);
          l[`${prefix}port_public_ip`] = p.IP ?? '';
        }
        targets.push({ ...l, ...common, ...net, __address__: joinHostPort(ip, p.PrivatePort) });
        added = true;
      }
      if (!added) {
        const addr = mode !== 'host' ? joinHostPort(ip, o.port) : o.hostNetworkingHost;
        targets.push({ ...base, ...common, ...net, __address__: addr });
      }
    }
  }
  return { source: 'Docker', targets, labels: {} };
}
