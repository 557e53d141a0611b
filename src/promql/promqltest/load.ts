/** Executes `load` commands: the float samples of a block go into storage in one batch (upstream's loadCmd). */
import type { Appendable } from '../../storage/index.ts';
import type { LoadCommand, LoadedSeries } from './commands.ts';

/**
 * Appends every float point of `cmd` (point i at `i × intervalMs`, `stale` as the staleness marker) and
 * commits. Series with a native-histogram value are left out: the storage holds floats only. On a refused
 * sample the whole batch is rolled back and the failing series and reason are returned; null on success.
 */
export async function loadInto(
  storage: Appendable,
  cmd: LoadCommand,
): Promise<{ series: LoadedSeries; reason: string } | null> {
  const app = storage.appender();
  for (const s of cmd.series) {
    if (s.values.some((v) => v.kind === 'histogram')) continue;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (v?.kind !== 'float') continue;
      try {
        app.append(s.labels, i * cmd.intervalMs, v.value);
      } catch (err) {
        app.rollback();
        return { series: s, reason: (err as Error).message };
      }
    }
  }
  await app.commit();
  return null;
}
