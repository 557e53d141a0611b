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

/** Why a request target is refused with 400, or undefined when it is fine. */
export function targetProblem(target: string): string | undefined {
  if (target.charCodeAt(0) !== 47 /* / */) return target === '*' ? undefined : 'request target is not a path';
  if (hasBadChar(target) || badPercent.test(target)) return 'request target has invalid characters or percent-encoding';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      return 'request path is not valid percent-encoded UTF-8';
    }
  }
  return undefined;
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
