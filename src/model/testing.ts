/** Helpers for tests and benchmarks. Not part of the build. */

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence of floats in [0, 1), so
 * generated test data and benchmark workloads are reproducible.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
