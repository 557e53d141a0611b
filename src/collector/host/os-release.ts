/**
 * Parses os-release(5): `KEY=value` lines, values optionally in double or single quotes, `\` escaping `"`, `\`, `$`
 * and `` ` `` inside double quotes; comments and blank lines skipped.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let v = line.slice(eq + 1);
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
      v = v.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
    } else if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) {
      v = v.slice(1, -1);
    }
    out.set(key, v);
  }
  return out;
}

/** node_os_info's labels from os-release keys. */
export const osInfoLabels = {
  build_id: 'BUILD_ID',
  id: 'ID',
  id_like: 'ID_LIKE',
  image_id: 'IMAGE_ID',
  image_version: 'IMAGE_VERSION',
  name: 'NAME',
  pretty_name: 'PRETTY_NAME',
  variant: 'VARIANT',
  variant_id: 'VARIANT_ID',
  version: 'VERSION',
  version_codename: 'VERSION_CODENAME',
  version_id: 'VERSION_ID',
} as const;

/** node_os_version's value: the leading `major[.minor]` of VERSION_ID, 0 when there is none (then not exposed). */
export function osVersion(versionId: string): number {
  let end = 0;
  while (end < versionId.length && versionId.charCodeAt(end) >= 48 && versionId.charCodeAt(end) <= 57) end++;
  if (end === 0) return 0;
  if (versionId.charCodeAt(end) === 46) {
    end++;
    while (end < versionId.length && versionId.charCodeAt(end) >= 48 && versionId.charCodeAt(end) <= 57) end++;
  }
  return Number.parseFloat(versionId.slice(0, end));
}
