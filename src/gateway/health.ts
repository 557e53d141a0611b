/** Active health checks: a GET on each checked upstream every interval; 2xx and 3xx are healthy. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GatewayHealthCheckConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { Upstream } from './upstream.ts';

/** Checks one upstream on a timer until `stop`. State changes are logged and reported to `onChange`. */
export class HealthCheck {
  private timer: NodeJS.Timeout | undefined;
  private passes = 0;
  private fails = 0;
  private running = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly config: GatewayHealthCheckConfig,
    private readonly logger: Logger,
    private readonly onChange: (upstream: Upstream) => void,
  ) {
    upstream.checked = true;
  }

  start(): void {
    this.timer ??= setInterval(() => this.run(), this.config.interval);
    this.timer.unref();
    this.run();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    const u = this.upstream;
    const send = u.secure ? httpsRequest : httpRequest;
    let done = false;
    const finish = (ok: boolean, why: string) => {
      if (done) return;
      done = true;
      this.running = false;
      this.record(ok, why);
    };
    const req = send({
      host: u.hostname,
      port: u.port,
      path: this.config.path,
      method: 'GET',
      agent: false,
      timeout: this.config.timeout,
      headers: { 'user-agent': 'vigil-gateway-health-check', connection: 'close' },
      ...(u.secure ? { rejectUnauthorized: u.verify } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(false, 'timeout');
    }, this.config.timeout);
    req.on('response', (res) => {
      res.resume();
      clearTimeout(timer);
      const code = res.statusCode ?? 0;
      finish(code >= 200 && code < 400, `status ${code}`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      finish(false, err.code ?? err.message);
    });
    req.end();
  }

  private record(ok: boolean, why: string): void {
    const u = this.upstream;
    if (ok) {
      this.fails = 0;
      this.passes++;
      if (!u.healthy && this.passes >= this.config.healthy_threshold) {
        u.healthy = true;
        u.downUntilMs = 0;
        this.logger.info('upstream is healthy again', { upstream: u.url });
        this.onChange(u);
      }
    } else {
      this.passes = 0;
      this.fails++;
      if (u.healthy && this.fails >= this.config.unhealthy_threshold) {
        u.healthy = false;
        this.logger.warn('upstream is unhealthy', { upstream: u.url, reason: why });
        this.onChange(u);
      }
    }
  }
}
