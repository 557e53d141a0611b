/** Errors of the gateway's lifecycle. Request handling never throws: it answers with a status. */

/** A listener could not bind (address in use, no permission). */
export class GatewayListenError extends Error {
  readonly code = 'GATEWAY_LISTEN';
  constructor(
    readonly address: string,
    options: { cause: unknown },
  ) {
    super(`gateway: cannot listen on ${address}: ${(options.cause as Error).message}`, options);
    this.name = 'GatewayListenError';
  }
}

/** A site's certificate or key could not be read, parsed or generated. */
export class GatewayCertificateError extends Error {
  readonly code = 'GATEWAY_CERTIFICATE';
  constructor(
    readonly site: string,
    readonly file: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(`gateway: site ${site}: certificate ${file}: ${message}`, options);
    this.name = 'GatewayCertificateError';
  }
}

/** A reload asked for something that needs a restart (a listen address changed). */
export class GatewayReloadError extends Error {
  readonly code = 'GATEWAY_RELOAD';
  constructor(message: string) {
    super(`gateway: ${message}`);
    this.name = 'GatewayReloadError';
  }
}

/**
 * A site's WAF rules could not be loaded (a CRS directory missing, unreadable, or with an invalid rule), or
 * its exclusions are invalid (`detail` then names the key at fault).
 */
export class GatewayWafError extends Error {
  readonly code = 'GATEWAY_WAF';
  constructor(
    /** Index of the site in `gateway.sites`. */
    readonly siteIndex: number,
    readonly crsDir: string,
    options: { cause: unknown; detail?: string },
  ) {
    super(
      options.detail ??
        `gateway.sites[${siteIndex}].waf.crs_dir: cannot load the WAF rules from ${crsDir}: ${(options.cause as Error).message}`,
      options,
    );
    this.name = 'GatewayWafError';
  }
}
