/** Time for the Docker client: the wall clock and timers, injected so tests can drive them. */

/** A scheduled callback; `cancel` is idempotent and safe after the callback ran. */
export interface DockerTimer {
  cancel(): void;
}

/** `now` is Unix milliseconds. */
export interface DockerClock {
  now(): number;
  setTimer(fn: () => void, delayMs: number): DockerTimer;
}

/** `Date.now` and `setTimeout`. */
export const systemClock: DockerClock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
};
