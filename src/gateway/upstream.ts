/** Upstream servers: one keep-alive connection pool each, their health, and the balancers that pick one. */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** How long an upstream without active health checks is skipped after refusing a connection. */
export const passiveDownMs = 10_000;

export interface UpstreamOptions {
  /** `http://host:port` or `https://host:port`. */
  readonly url: string;
  /** Idle keep-alive connections kept. */
  readonly idleConnections: number;
  readonly connectTimeoutMs: number;
  /** For https: accept any certificate. @default false */
  readonly insecureSkipVerify?: boolean;
}

/** One upstream server. `active` counts requests in flight (for least_conn). */
export class Upstream {
  readonly url: string;
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number;
  readonly agent: HttpAgent;
  /** For https: whether the upstream's certificate is verified. */
  readonly verify: boolean;
  active = 0;
  /** Set by active health checks; true until a check says otherwise. */
  healthy = true;
  /** Whether active health checks watch this upstream. */
  checked = false;
  /** Unix ms until which the upstream is skipped after a refused connection (no active checks). */
  downUntilMs = 0;

  constructor(options: UpstreamOptions) {
    const u = new URL(options.url);
    this.url = u.origin;
    this.secure = u.protocol === 'https:';
    this.hostname = u.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(u.port) || (this.secure ? 443 : 80);
    this.verify = options.insecureSkipVerify !== true;
    const agentOptions = {
      keepAlive: true,
      maxFreeSockets: Math.max(1, options.idleConnections),
      scheduling: 'lifo' as const,
      timeout: 0,
    };
    this.agent = this.secure
      ? new HttpsAgent({
          ...agentOptions,
          rejectUnauthorized: this.verify,
        })
      : new HttpAgent(agentOptions);
  }

  available(nowMs: number): boolean {
    return this.healthy && nowMs >= this.downUntilMs;
  }

  /** A connection failed: skip the upstream for a while, or until the next passing check. */
  markFailed(nowMs: number): void {
    if (this.checked) this.healthy = false;
    else this.downUntilMs = nowMs + passiveDownMs;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Picks an available upstream from a fixed list; undefined when none is available. */
export interface Balancer {
  readonly upstreams: readonly Upstream[];
  pick(nowMs: number): Upstream | undefined;
}

class RoundRobin implements Balancer {
  private next = 0;
  constructor(readonly upstreams: readonly Upstream[]) {}

  pick(nowMs: number): Upstream | undefined {
    const n = this.upstreams.length;
    for (let i = 0; i < n; i++) {
      const u = this.upstreams[(this.next + i) % n] as Upstream;
      if (u.available(nowMs)) {
        this.next = (this.next + i + 1) % n;
        return u;
      }
    }
    return undefined;
  }
}

class LeastConn implements Balancer {
  private next = 0;
  constructor(readonly upstreams: readonly Upstream[]) {}

  /** The available upstream with the fewest requests in flight; ties go round-robin. */
  pick(nowMs: number): Upstream | undefined {
    const n = this.upstreams.length;
    let best: Upstream | undefined;
    for (let i = 0; i < n; i++) {
      const u = this.upstreams[(this.next + i) % n] as Upstream;
      if (u.available(nowMs) && (best === undefined || u.active < best.active)) best = u;
    }
    this.next = (this.next + 1) % n;
    return best;
  }
}

export const balancers = {
  round_robin: (upstreams: readonly Upstream[]): Balancer => new RoundRobin(upstreams),
  least_conn: (upstreams: readonly Upstream[]): Balancer => new LeastConn(upstreams),
} satisfies Record<string, (upstreams: readonly Upstream[]) => Balancer>;
