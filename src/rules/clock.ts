/** Time for the rules module: the wall clock and timers, injected so tests drive evaluations by hand. */

/** A scheduled callback; `cancel` is idempotent and safe after the callback ran. */
export interface Timer {
  cancel(): void;
}

/**
 * The clock groups read time from and schedule with; `now` is Unix milliseconds. A callback may return the
 * promise of the work it started: the system clock ignores it, a test clock may await it.
 */
export interface RuleClock {
  now(): number;
  setTimer(fn: () => void | Promise<void>, delayMs: number): Timer;
}

/** `Date.now` and `setTimeout` (unref'd: a pending evaluation does not keep the process alive). */
export const systemRuleClock: RuleClock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const handle = setTimeout(
      () => {
        const r = fn();
        if (r instanceof Promise) r.catch(() => {});
      },
      Math.max(0, delayMs),
    );
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
