/**
 * A page's periodic reload: `work` runs now and then every `intervalMs` after the previous run ended; a run
 * asked for (`now()`) while one is in flight follows it at once. Stops when `signal` aborts.
 */
export function refreshLoop(work: () => Promise<void>, intervalMs: number, signal: AbortSignal): { now(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  async function run(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      await work();
    } finally {
      running = false;
      if (!signal.aborted) {
        if (again) {
          again = false;
          void run();
        } else timer = setTimeout(run, intervalMs);
      }
    }
  }
  signal.addEventListener('abort', () => clearTimeout(timer));
  return { now: () => void run() };
}
