/**
 * Where the Docker daemon listens: `collector.docker.host`, else `DOCKER_HOST` as the Docker CLI reads it, else
 * the default socket. Plain HTTP only, over a unix socket or TCP; podman's Docker-compatible socket is a unix
 * socket like any other.
 */
import { DockerHostError } from './errors.ts';

export const defaultDockerSocket = '/var/run/docker.sock';
/** The CLI's default TCP address parts when `tcp://` leaves them out. */
const defaultTcpHost = 'localhost';
const defaultTcpPort = 2375;

/** A parsed daemon address; `url` is its canonical form (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
export type DockerEndpoint =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly url: string }
  | {
      readonly kind: 'tcp';
      /** Host name or IP, IPv6 without brackets. */
      readonly host: string;
      readonly port: number;
      /** Path prefix before every API path, `''` or `/prefix` (no trailing slash). */
      readonly basePath: string;
      readonly url: string;
    };

/** Where a resolved endpoint came from. */
export type DockerHostSource = 'config' | 'env' | 'default';

/**
 * Parses a daemon address the way the Docker CLI parses `DOCKER_HOST`: `unix:///path` (empty path: the default
 * socket), `tcp://host:port[/base]` (host defaults to localhost, port to 2375), a bare `host:port` as tcp, and
 * `http://` as an alias of `tcp://`. Throws {@link DockerHostError} for `ssh://`, `https://`, `npipe://`, `fd://`
 * and anything malformed, with the reason and what to do instead.
 */
export function parseDockerHost(value: string): DockerEndpoint {
  const text = value.trim();
  if (text === '') return unixEndpoint(defaultDockerSocket);
  const sep = text.indexOf('://');
  const scheme = sep < 0 ? 'tcp' : text.slice(0, sep).toLowerCase();
  const rest = sep < 0 ? text : text.slice(sep + 3);
  const fail = (reason: string): never => {
    throw new DockerHostError(value, reason);
  };
  if (rest.includes('://')) fail(`more than one scheme`);
  switch (scheme) {
    case 'unix':
      return unixEndpoint(rest === '' ? defaultDockerSocket : rest);
    case 'tcp':
    case 'http':
      return tcpEndpoint(value, rest);
    case 'ssh':
      return fail(
        'ssh:// is not supported (vigil speaks plain HTTP to the daemon); forward the remote socket, e.g. ' +
          '`ssh -nNT -L /run/docker-remote.sock:/var/run/docker.sock user@host`, and use unix:///run/docker-remote.sock',
      );
    case 'https':
      return fail('TLS is not supported; use the daemon unix socket or a plain tcp:// address');
    case 'npipe':
      return fail('Windows named pipes are not supported');
    case 'fd':
      return fail('fd:// is a daemon listen address, not one a client can connect to');
    default:
      return fail(`unknown scheme ${JSON.stringify(scheme)} (want unix:// or tcp://)`);
  }
}

/**
 * The endpoint to use: `configured` when given and not blank, else `env.DOCKER_HOST` when not blank, else the
 * default socket. Throws {@link DockerHostError} for an unusable value, and for a `tcp://` `DOCKER_HOST` while
 * `DOCKER_TLS_VERIFY` (or `DOCKER_TLS`) asks the CLI for TLS, which this client does not speak.
 */
export function resolveDockerHost(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { endpoint: DockerEndpoint; source: DockerHostSource } {
  if (configured !== undefined && configured.trim() !== '') {
    return { endpoint: parseDockerHost(configured), source: 'config' };
  }
  const fromEnv = env.DOCKER_HOST;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const endpoint = parseDockerHost(fromEnv);
    const tls = (env.DOCKER_TLS_VERIFY ?? '') !== '' || /^(1|t|true)$/i.test(env.DOCKER_TLS ?? '');
    if (endpoint.kind === 'tcp' && tls) {
      throw new DockerHostError(fromEnv, 'DOCKER_TLS_VERIFY/DOCKER_TLS ask for TLS, which vigil does not speak');
    }
    return { endpoint, source: 'env' };
  }
  return { endpoint: unixEndpoint(defaultDockerSocket), source: 'default' };
}

function unixEndpoint(socketPath: string): DockerEndpoint {
  return { kind: 'unix', socketPath, url: `unix://${socketPath}` };
}

function tcpEndpoint(value: string, rest: string): DockerEndpoint {
  const fail = (reason: string): never => {
    throw new DockerHostError(value, reason);
  };
  if (/[?#]/.test(rest)) fail('a query or fragment is not allowed');
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const basePath = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '');
  let host: string;
  let portText: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) fail('unclosed [ in an IPv6 address');
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail('garbage after the IPv6 address');
    portText = after.slice(1);
  } else {
    const parts = hostPort.split(':');
    if (parts.length > 2) fail('too many colons (write an IPv6 address as [addr]:port)');
    host = parts[0] ?? '';
    portText = parts[1] ?? '';
  }
  if (host === '') host = defaultTcpHost;
  let port = defaultTcpPort;
  if (portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      fail(`invalid port ${JSON.stringify(portText)}`);
    }
    port = Number(portText);
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  return { kind: 'tcp', host, port, basePath, url: `tcp://${shown}:${port}${basePath}` };
}
