/** Checks on the request target (path and query) before a request goes anywhere. */

const badPercent = /%(?![0-9A-Fa-f]{2})/;

/** Whether `s` has a control character, space, DEL or a non-ASCII character. */
function hasBadChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return true;
  }
  return false;
}

/**
 * Why a request target is refused with 400, or undefined when it is fine. The path's percent-escapes must be
 * well formed (routes match on it); the query is the application's (and the WAF's) business, and neither must
 * decode to UTF-8. A fragment never belongs in a request (RFC 9112 3.2).
 */
export function targetProblem(target: string): string | undefined {
  if (target.charCodeAt(0) !== 47 /* / */) return target === '*' ? undefined : 'request target is not a path';
  if (hasBadChar(target)) return 'request target has invalid characters';
  if (target.includes('#')) return 'request target has a fragment';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (badPercent.test(path)) return 'request path has invalid percent-encoding';
  return undefined;
}

/** A Host value as RFC 9110 7.2 allows it: `host[:port]`, the host a name, an IPv4 address or an IPv6 literal. */
const hostSyntax = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=-]+)(?::\d{0,5})?$/;

export function validHost(host: string): boolean {
  return host.length <= 255 && hostSyntax.test(host);
}

/**
 * The origin-form (`/path?query`) of an absolute-form target (`https://host/path?query`, RFC 9112 3.2.2) whose
 * authority is `host`; undefined when the target is not absolute-form, and null when its authority is not
 * `host` or carries user info (refused with 400, so no two hosts can disagree about a request).
 */
export function originForm(target: string, host: string): string | null | undefined {
  const scheme = target.startsWith('https://') ? 8 : target.startsWith('http://') ? 7 : 0;
  if (scheme === 0) return undefined;
  let end = target.length;
  for (const c of ['/', '?']) {
    const i = target.indexOf(c, scheme);
    if (i >= 0 && i < end) end = i;
  }
  const authority = target.slice(scheme, end);
  if (authority.includes('@') || authority.toLowerCase() !== host.toLowerCase()) return null;
  const rest = target.slice(end);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
