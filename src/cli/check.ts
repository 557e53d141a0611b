import { ConfigError, loadConfig } from '../config/index.ts';

/** `vigil check config FILE`: 0 when valid, 1 with every problem listed on stderr. */
export function checkConfigCommand(file: string): number {
  process.stdout.write(`Checking ${file}\n`);
  try {
    const c = loadConfig(file);
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
    process.stdout.write(
      `  SUCCESS: ${n(c.scrape_configs.length, 'scrape config')}, ${n(c.rule_files.length, 'rule file')}, ${n(
        c.alerting.receivers?.length ?? 0,
        'receiver',
      )}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`  FAILED:\n${err.message}\n`);
    return 1;
  }
}
