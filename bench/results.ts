/** Where benchmarks write their figures: bench/results/NAME.json (not committed). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus } from 'node:os';

/** Writes `figures` with the machine and time they were measured on, and prints them. */
export function writeResults(name: string, figures: Record<string, unknown>): void {
  const result = {
    benchmark: name,
    measuredAt: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, arch: arch(), node: process.version },
    figures,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
}
