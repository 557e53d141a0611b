import type { OperatorFactory } from './types.ts';

export const unconditionalMatch: OperatorFactory = () => (input, ctx) => {
  ctx.matched = input;
  return true;
};
export const noMatch: OperatorFactory = () => () => false;

/**
 * `@geoLookup`: vigil has no GeoIP database, so, as ModSecurity without `SecGeoLookupDb`, it finds nothing and
 * the GEO collection stays empty (CRS 3's country blocking, off unless configured, then never matches).
 */
export const geoLookup: OperatorFactory = () => () => false;

/**
 * `@rbl`: DNS block-list lookups are not made (a lookup per request would stall the request path on the
 * network); the operator never matches, and CRS 3's IP-reputation rules that use it stay quiet.
 */
export const rbl: OperatorFactory = () => () => false;
