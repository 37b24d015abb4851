/**
 * Timed waits (request latency, delay faults) that `stop()` can cut short, so a stopped emulator
 * leaves no timer behind to keep the process alive.
 */
export class Sleepers {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        wake: resolve,
        timer: setTimeout(() => {
          this.pending.delete(sleeper);
          resolve();
        }, ms),
      };
      this.pending.add(sleeper);
    });
  }

  /** Ends every wait now. */
  wakeAll(): void {
    for (const sleeper of this.pending) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    this.pending.clear();
  }
}
