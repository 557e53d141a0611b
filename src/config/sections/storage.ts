/** The `storage` section: prometheus.yml's keys, and vigil's retention settings that Prometheus takes as flags. */
import { byteSize, duration, int, type ObjectValue, object, section, withDefault } from '../schema.ts';

export const storageFields = {
  tsdb: section(
    object({
      /** Blocks older than this are deleted; 0 keeps them for ever (unless retention_size applies). */
      retention_time: withDefault(duration(), 15 * 24 * 3600_000),
      /** Most bytes kept on disk; oldest blocks go first. 0 means no size limit. */
      retention_size: withDefault(byteSize(), 0),
      /** How far behind the newest sample an out-of-order sample may be accepted; 0 refuses them. */
      out_of_order_time_window: withDefault(duration(), 0),
    }),
  ),
  exemplars: section(
    object({
      /** Exemplars kept in memory, across all series. */
      max_exemplars: withDefault(int({ min: 0 }), 100_000),
    }),
  ),
};

export const storageSchema = object(storageFields);
export type StorageConfig = ObjectValue<typeof storageFields>;
