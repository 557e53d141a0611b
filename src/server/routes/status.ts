import type { Registry } from 'prom-client';
import { sendData, sendText } from '../context.ts';
import type { Route } from '../router.ts';
import type { AppControl } from './control.ts';

export interface BuildInfo {
  version: string;
  revision: string;
  nodeVersion: string;
}

/** `/metrics` and the `/api/v1/status/*` endpoints in Prometheus' shapes. */
export function statusRoutes(
  control: AppControl,
  registry: Registry,
  build: BuildInfo,
  /** More exposition text after vigil's own metrics (the collector's families in `vigil collector`). */
  extraMetrics?: () => string,
): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/metrics',
      access: 'user',
      async handle({ res }) {
        const own = await registry.metrics();
        sendText(res, 200, extraMetrics === undefined ? own : own + extraMetrics(), registry.contentType);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/status/config',
      access: 'user',
      handle: ({ res }) => sendData(res, { yaml: control.configYaml() }),
    },
    {
      method: 'GET',
      pattern: '/api/v1/status/gateway',
      access: 'user',
      handle: ({ res }) => sendData(res, control.gatewayStatus?.() ?? null),
    },
    {
      method: 'GET',
      pattern: '/api/v1/status/flags',
      access: 'user',
      handle: ({ res }) => sendData(res, control.flags()),
    },
    {
      method: 'GET',
      pattern: '/api/v1/status/buildinfo',
      access: 'user',
      handle: ({ res }) =>
        sendData(res, {
          version: build.version,
          revision: build.revision,
          branch: '',
          buildUser: '',
          buildDate: '',
          // Prometheus' field; vigil runs on Node.js, whose version is in nodeVersion.
          goVersion: '',
          nodeVersion: build.nodeVersion,
        }),
    },
    {
      method: 'GET',
      pattern: '/api/v1/status/runtimeinfo',
      access: 'user',
      handle: ({ res }) => sendData(res, control.runtimeInfo()),
    },
  ];
}
