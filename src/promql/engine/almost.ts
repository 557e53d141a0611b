/** Float comparison with a tolerance, as upstream's `util/almost`. */

const minNormal = 2.2250738585072014e-308;

/**
 * Upstream's `almost.Equal`: NaN equals NaN; otherwise equal, or a relative difference below `epsilon` (near zero,
 * an absolute one below `epsilon × the smallest normal float64`).
 */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
