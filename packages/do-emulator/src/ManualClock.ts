interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * Time that moves only when a test says so, shared by the emulator (`clock: clock.now`) and the
 * code under test (`now` and `sleep`). A `sleep` resolves when `advance` (or `set`) passes its
 * deadline, so rate-limit windows, retry waits and timeouts are decided by the test, never by
 * how busy the machine is.
 */
export class ManualClock {
  private ms: number;
  private readonly sleepers = new Set<Sleeper>();
  private readonly watchers: Array<() => void> = [];

  constructor(start: number | string = '2026-01-05T12:00:00Z') {
    this.ms = typeof start === 'string' ? Date.parse(start) : start;
  }

  /** Epoch milliseconds. */
  now = (): number => this.ms;

  /** Resolves once the clock has moved `ms` forward; rejects with the signal's reason on abort. */
  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { until: this.ms + ms, resolve };
      const onAbort = () => {
        this.sleepers.delete(sleeper);
        reject(signal!.reason);
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      this.watchers.splice(0).forEach(notify => notify());
    });
  };

  /** How many sleeps are waiting for the clock to move. */
  get sleeping(): number {
    return this.sleepers.size;
  }

  /** Resolves when at least `count` sleeps wait (now, or as soon as they start). */
  async whenSleeping(count = 1): Promise<void> {
    while (this.sleepers.size < count) {
      await new Promise<void>(resolve => this.watchers.push(resolve));
    }
  }

  /** Moves time forward, waking every sleep whose deadline it reaches, earliest first. */
  advance(ms: number): void {
    this.moveTo(this.ms + ms);
  }

  set(time: number | string): void {
    this.moveTo(typeof time === 'string' ? Date.parse(time) : time);
  }

  /** Moves time to the earliest sleep's deadline and wakes it (and any due with it). */
  advanceToNextSleep(): void {
    const next = Math.min(...[...this.sleepers].map(s => s.until));
    if (Number.isFinite(next)) this.moveTo(Math.max(this.ms, next));
  }

  /**
   * Waits for `work`, moving the clock to the next sleep's end whenever something sleeps, so its
   * waits (pacing, Retry-After, backoff) pass at once but in order. For work whose sleeps mean
   * nothing else is under way (an attempt's real-time timeout is not on the clock).
   */
  async passTimeUntil<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    while (!done) {
      await Promise.race([this.whenSleeping(), settled]);
      // Sleeps started in the same turn all register before the earliest is woken.
      await new Promise<void>(resolve => setImmediate(resolve));
      if (!done) this.advanceToNextSleep();
    }
    return work;
  }

  private moveTo(target: number): void {
    this.ms = target;
    const due = [...this.sleepers]
      .filter(s => s.until <= target)
      .sort((a, b) => a.until - b.until);
    for (const sleeper of due) {
      this.sleepers.delete(sleeper);
      sleeper.resolve();
    }
  }
}
