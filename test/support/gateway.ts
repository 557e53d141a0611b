/** Helpers for the gateway tests: local backends, a gateway on loopback ports, and raw TLS clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Registry } from 'prom-client';
import { parseConfig } from '../../src/config/index.ts';
import { Gateway, type GatewayOptions } from '../../src/gateway/index.ts';
import { createLogger } from '../../src/log/index.ts';

export interface Backend {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** Requests seen, in order. */
  readonly seen: IncomingMessage[];
  close(): Promise<void>;
}

/** Echoes `{ method, url, headers, port }` as JSON unless `handler` answers. */
export async function startBackend(
  handler?: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
): Promise<Backend> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    if (handler) return handler(req, res);
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, port: bound });
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': String(bound) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface TestGateway {
  readonly gateway: Gateway;
  readonly port: number;
  readonly redirectPort: number;
  readonly registry: Registry;
  readonly dataDir: string;
  readonly logs: string[];
  close(): Promise<void>;
}

/** Starts a gateway from the `gateway:` YAML (listeners on 127.0.0.1 port 0 unless given). */
export async function startGateway(
  yaml: string,
  options: Partial<Omit<GatewayOptions, 'config' | 'logger' | 'registry'>> = {},
): Promise<TestGateway> {
  const text = `gateway:\n  listen: 127.0.0.1:0\n  redirect_listen: 127.0.0.1:0\n  metrics_listen: none\n${yaml}`;
  const config = parseConfig(text, 'vigil.yml', {}).gateway;
  if (config === undefined) throw new Error('no gateway section');
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-gw-'));
  const logs: string[] = [];
  const registry = new Registry();
  const gateway = new Gateway({
    ...options,
    config,
    dataDir,
    registry,
    logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
  });
  await gateway.start();
  const a = gateway.addresses();
  return {
    gateway,
    port: a.https.port,
    redirectPort: a.redirect?.port ?? 0,
    registry,
    dataDir,
    logs,
    close: async () => {
      await gateway.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** An HTTPS/1.1 request to the gateway (certificate not verified; SNI from `servername`). */
export function get(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; servername?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.servername ?? 'app.test', ...options.headers },
        servername: options.servername ?? 'app.test',
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Sends raw bytes over TLS (SNI app.test) and collects what comes back until the server closes or
 * `timeoutMs` passes. `pace` sends the bytes one chunk at a time with a pause (a slow client).
 */
export function rawTls(
  port: number,
  chunks: readonly string[],
  options: { paceMs?: number; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'app.test', rejectUnauthorized: false });
    let out = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, options.timeoutMs ?? 5000);
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.once('secureConnect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) break;
        socket.write(c);
        if (options.paceMs) await new Promise((r) => setTimeout(r, options.paceMs));
      }
    });
  });
}

/** The value of a metric sample (first match of `name{…labels}`) in the registry's text, or undefined. */
export async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await registry.metrics();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
}

/** A plain HTTP/1.1 request (the redirect listener). */
export function plainGet(port: number, path: string, host: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
