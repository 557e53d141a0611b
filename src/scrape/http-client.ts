/**
 * The parts of Prometheus' HTTP client config a request needs: the Authorization header and the TLS options,
 * read from `tls_config` files on each call so rotated certificates are picked up (as prometheus/common does).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { HttpClientConfig, TlsConfig } from '../config/index.ts';

/** The `Authorization` header value from `basic_auth`, `authorization` or `bearer_token`; undefined for none. */
export function authorizationHeader(c: HttpClientConfig): string | undefined {
  if (c.basic_auth !== undefined) {
    const user = c.basic_auth.username?.reveal() ?? '';
    const pass = c.basic_auth.password?.reveal() ?? '';
    return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  const credentials = c.authorization?.credentials?.reveal();
  if (c.authorization !== undefined && credentials) return `${c.authorization.type} ${credentials}`;
  const bearer = c.bearer_token?.reveal();
  if (bearer) return `Bearer ${bearer}`;
  return undefined;
}

const tlsVersion = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/** Node TLS options for a `tls_config`, and a fingerprint that changes when any of them changes. */
export interface TlsOptions {
  options: ConnectionOptions;
  fingerprint: string;
}

/**
 * Reads `ca_file` and `cert_file` now. Returns an error message naming the file when one cannot be read; never
 * throws. `server_name` sets SNI and the name the certificate is checked against; `insecure_skip_verify` turns
 * verification off.
 */
export function tlsOptions(t: TlsConfig): TlsOptions | { error: string } {
  const options: ConnectionOptions = { rejectUnauthorized: !t.insecure_skip_verify };
  try {
    if (t.ca) options.ca = t.ca;
    else if (t.ca_file) options.ca = read(t.ca_file, 'CA cert');
    if (t.cert) options.cert = t.cert;
    else if (t.cert_file) options.cert = read(t.cert_file, 'client cert');
  } catch (err) {
    return { error: (err as Error).message };
  }
  const key = t.key?.reveal();
  if (key) options.key = key;
  if (t.server_name) options.servername = t.server_name;
  if (t.min_version) options.minVersion = tlsVersion[t.min_version];
  if (t.max_version) options.maxVersion = tlsVersion[t.max_version];
  const fingerprint = JSON.stringify([options.ca, options.cert, key, t.server_name, t.insecure_skip_verify]);
  return { options, fingerprint };
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`unable to load specified ${what} ${file}: ${e.code ?? e.message}`);
  }
}
