/** Helpers for the config module's tests. Not part of the build. */
import assert from 'node:assert/strict';
import { decodeYaml } from './decode.ts';
import { ConfigError } from './errors.ts';
import type { Schema } from './schema.ts';

/** The problems `schema` finds in `text`, one `file:line:col: path: message` string each; fails when there are none. */
export function issuesOf<T>(
  schema: Schema<T>,
  text: string,
  options: { file?: string; env?: Record<string, string> } = {},
): string[] {
  try {
    decodeYaml(schema, text, { file: options.file ?? 'prometheus.yml', env: options.env ?? {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}
