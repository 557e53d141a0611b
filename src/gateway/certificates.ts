/**
 * The sites' certificates: read from the configured files (re-read when they change), or a self-signed one
 * generated into the certs directory and reused on later starts. SNI picks a site's context; clients without
 * SNI, or with an unknown name, get the first site's.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import type { Logger } from '../log/index.ts';
import { GatewayCertificateError } from './errors.ts';
import type { CertificateInfo } from './metrics.ts';
import { generateSelfSigned } from './self-signed.ts';
import { hostOnly, type Site, type SiteTable } from './site.ts';

/** Mozilla's "intermediate" TLS 1.2 suites (forward secrecy, AEAD); TLS 1.3 suites are Node's defaults. */
export const tlsCiphers = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** A self-signed certificate is made again when it expires within this many days. */
const renewWithinDays = 30;

interface Loaded {
  readonly site: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly context: SecureContext;
  readonly info: CertificateInfo;
  /** Configured files and their `mtimeMs:size` when read; undefined for a self-signed certificate. */
  readonly files?: { readonly cert: string; readonly key: string; readonly stamp: string };
}

function stamp(certFile: string, keyFile: string): string {
  const a = statSync(certFile);
  const b = statSync(keyFile);
  return `${a.mtimeMs}:${a.size}:${b.mtimeMs}:${b.size}`;
}

function contextOptions(cert: Buffer, key: Buffer): SecureContextOptions {
  return { cert, key, minVersion: 'TLSv1.2', ciphers: tlsCiphers, honorCipherOrder: true };
}

export class CertificateStore {
  private loaded = new Map<string, Loaded>();
  private sites: SiteTable | undefined;

  constructor(
    private readonly certsDir: string,
    private readonly logger: Logger,
  ) {}

  /** Loads every site's certificate (generating self-signed ones as needed). Throws GatewayCertificateError. */
  load(sites: SiteTable): void {
    const next = new Map<string, Loaded>();
    for (const site of sites.sites) next.set(site.name, this.loadSite(site));
    this.loaded = next;
    this.sites = sites;
  }

  /** The first site's certificate and key: what clients without SNI get. */
  defaultOptions(): SecureContextOptions {
    const first = this.loaded.values().next().value as Loaded;
    return contextOptions(first.cert, first.key);
  }

  /** The context for an SNI server name. */
  contextFor(servername: string): SecureContext | undefined {
    const site = this.sites?.lookup(hostOnly(servername));
    return site === undefined ? undefined : this.loaded.get(site.name)?.context;
  }

  info(): CertificateInfo[] {
    return [...this.loaded.values()].map((l) => l.info);
  }

  /**
   * Re-reads configured certificate files that changed since they were read. Returns whether the default
   * (first) certificate changed, so the server's own options can be updated. A file that cannot be read or
   * parsed is logged and the old certificate stays.
   */
  refresh(): boolean {
    let defaultChanged = false;
    let first = true;
    for (const [name, l] of this.loaded) {
      const isFirst = first;
      first = false;
      if (l.files === undefined) continue;
      let now: string;
      try {
        now = stamp(l.files.cert, l.files.key);
      } catch (err) {
        this.logger.error('cannot stat certificate files; keeping the loaded certificate', { site: name, err });
        continue;
      }
      if (now === l.files.stamp) continue;
      try {
        const fresh = this.fromFiles(name, l.files.cert, l.files.key);
        this.loaded.set(name, fresh);
        this.logger.info('certificate reloaded', { site: name, file: l.files.cert, not_after: fresh.info.notAfterMs });
        if (isFirst) defaultChanged = true;
      } catch (err) {
        this.logger.error('cannot reload certificate; keeping the loaded one', { site: name, err });
      }
    }
    return defaultChanged;
  }

  private loadSite(site: Site): Loaded {
    const tls = site.config.tls;
    if (tls?.cert_file !== undefined && tls.key_file !== undefined) {
      return this.fromFiles(site.name, tls.cert_file, tls.key_file);
    }
    return this.selfSigned(site);
  }

  private fromFiles(site: string, certFile: string, keyFile: string): Loaded {
    let cert: Buffer;
    let key: Buffer;
    let fileStamp: string;
    try {
      fileStamp = stamp(certFile, keyFile);
      cert = readFileSync(certFile);
    } catch (err) {
      throw new GatewayCertificateError(site, certFile, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    try {
      key = readFileSync(keyFile);
    } catch (err) {
      throw new GatewayCertificateError(site, keyFile, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    return {
      ...this.build(site, cert, key, false, certFile),
      files: { cert: certFile, key: keyFile, stamp: fileStamp },
    };
  }

  private build(site: string, cert: Buffer, key: Buffer, selfSigned: boolean, file: string): Loaded {
    let context: SecureContext;
    let notAfterMs: number;
    try {
      notAfterMs = Date.parse(new X509Certificate(cert).validTo);
      context = createSecureContext(contextOptions(cert, key));
    } catch (err) {
      throw new GatewayCertificateError(site, file, `invalid certificate or key: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return { site, cert, key, context, info: { site, selfSigned, notAfterMs } };
  }

  private selfSigned(site: Site): Loaded {
    const names = site.config.hosts.filter((h) => h !== '*');
    if (names.length === 0) names.push('localhost');
    const base = join(this.certsDir, site.name.replace(/^\*/, '_wildcard').replace(/[^a-zA-Z0-9._-]/g, '_'));
    const certFile = `${base}.crt`;
    const keyFile = `${base}.key`;
    try {
      const cert = readFileSync(certFile);
      const key = readFileSync(keyFile);
      const x = new X509Certificate(cert);
      const sans = x.subjectAltName ?? '';
      const covers = names.every((n) => sans.includes(`DNS:${n}`) || sans.includes(`IP Address:${n}`));
      const fresh = Date.parse(x.validTo) - Date.now() > renewWithinDays * 86_400_000;
      if (covers && fresh) {
        this.logger.warn('serving a self-signed certificate: browsers will warn; set tls.cert_file and key_file', {
          site: site.name,
          file: certFile,
        });
        return this.build(site.name, cert, key, true, certFile);
      }
    } catch {
      // none yet, or unusable: make a new one below
    }
    const made = generateSelfSigned(names);
    try {
      mkdirSync(this.certsDir, { recursive: true, mode: 0o700 });
      writeFileSync(keyFile, made.key, { mode: 0o600 });
      writeFileSync(certFile, made.cert, { mode: 0o644 });
    } catch (err) {
      throw new GatewayCertificateError(site.name, certFile, `cannot write: ${(err as Error).message}`, { cause: err });
    }
    this.logger.warn(
      'generated a self-signed certificate: browsers will warn; set tls.cert_file and key_file for this site',
      { site: site.name, file: certFile, names: names.join(',') },
    );
    return this.build(site.name, Buffer.from(made.cert), Buffer.from(made.key), true, certFile);
  }
}
