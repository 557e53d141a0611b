/**
 * `host:port` addresses as listen flags and configs write them: `127.0.0.1:9090`, `[::1]:9090`, `:9090` (all
 * interfaces), `localhost:80`. Returns the host without brackets (empty for all interfaces) and the port, or
 * undefined when `text` is not such an address or the port is above 65535.
 */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/]*):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}
