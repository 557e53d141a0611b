/** Time for the scrape module: the wall clock and timers, injected so tests drive them by hand. */

/** A scheduled callback; `cancel` is idempotent and safe after the callback ran. */
export interface Timer {
  cancel(): void;
}

/**
 * The clock scrape loops, discoverers and the manager read time from and schedule with. `now` is Unix
 * milliseconds. A callback may return a promise (the work it started); the system clock ignores it, a test
 * clock may await it.
 */
export interface ScrapeClock {
  now(): number;
  setTimer(fn: () => void | Promise<void>, delayMs: number): Timer;
}

/** `Date.now` and `setTimeout`. Callbacks' promises are not awaited; a rejection is swallowed (none is expected). */
export const systemClock: ScrapeClock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const handle = setTimeout(
      () => {
        const r = fn();
        if (r instanceof Promise) r.catch(() => {});
      },
      Math.max(0, delayMs),
    );
    return { cancel: () => clearTimeout(handle) };
  },
};
