/** What service discovery hands the scrape pools: target groups, and the discoverer contract. */

/** Labels as discovery produces them: names to values, the `__address__` of each target at least. */
export type LabelMap = Readonly<Record<string, string>>;

/** A set of targets from one source, as Prometheus' `targetgroup.Group`. */
export interface TargetGroup {
  /** Unique within its discoverer: the static config's index, `file:index`, `Docker`. */
  readonly source: string;
  /** Each target's own labels; a target's label wins over the group's label of the same name. */
  readonly targets: readonly LabelMap[];
  /** Labels every target of the group gets. */
  readonly labels: LabelMap;
}

/**
 * One service discovery instance (a `static_configs` list, one `file_sd_configs` entry, one `docker_sd_configs`
 * entry). After `start`, `onUpdate` receives the discoverer's complete set of groups each time it may have
 * changed, never concurrently; a failed refresh sends nothing, so the last groups stay. `close` is idempotent
 * and stops every timer and watch.
 */
export interface Discoverer {
  /** Resolves when the first refresh was delivered (or failed). Never rejects. */
  start(onUpdate: (groups: readonly TargetGroup[]) => void): Promise<void>;
  /** Re-reads the source now; resolves when the update (if any) was delivered. Never rejects. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** `static_configs`: the groups are known up front; source names are the list indexes, as in Prometheus. */
export class StaticDiscoverer implements Discoverer {
  private onUpdate: ((groups: readonly TargetGroup[]) => void) | undefined;

  constructor(private readonly groups: readonly TargetGroup[]) {}

  async start(onUpdate: (groups: readonly TargetGroup[]) => void): Promise<void> {
    this.onUpdate = onUpdate;
    onUpdate(this.groups);
  }

  async refresh(): Promise<void> {
    this.onUpdate?.(this.groups);
  }

  async close(): Promise<void> {
    this.onUpdate = undefined;
  }
}

/** The groups of a `static_configs` list: one per entry, each target an `__address__`. */
export function staticGroups(
  configs: readonly { targets: readonly string[]; labels: Readonly<Record<string, string>> }[],
): TargetGroup[] {
  return configs.map((c, i) => ({
    source: String(i),
    targets: c.targets.map((t) => ({ __address__: t })),
    labels: { ...c.labels },
  }));
}
