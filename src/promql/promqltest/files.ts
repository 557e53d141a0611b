/** Where the upstream `.test` files are: read in place from the shared checkout, never copied in. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/conformance/promql/testdata` relative to the repository root. */
export const defaultTestdataDir: string = fileURLToPath(
  new URL('../../../../shared/conformance/promql/testdata/', import.meta.url),
);

/** The `*.test` files of `dir`, sorted by name, as absolute paths. Throws when there are none. */
export function listTestFiles(dir: string = defaultTestdataDir): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no *.test files in ${dir}`);
  return files;
}
