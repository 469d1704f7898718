/** The time a pacer reads and waits on; tests pass a controlled one. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Paces the requests of one account to the registry host: at most `maxConcurrency` in flight,
 * starts at least `1000 / requestsPerSecond` ms apart, and none while the host has asked us to
 * wait (`pauseFor`, after a 429). Written here rather than taken from p-throttle or p-limit
 * because its waits go through the injected clock, so tests run without real time.
 */
export class Pacer {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStartMs = 0;
  private pausedUntilMs = 0;
  private readonly intervalMs: number;

  constructor(
    private readonly options: {
      maxConcurrency: number;
      requestsPerSecond: number;
      clock: PacerClock;
    },
  ) {
    if (!(options.maxConcurrency >= 1) || !(options.requestsPerSecond > 0)) {
      throw new Error(
        'The registry host pacer needs maxConcurrency >= 1 and requestsPerSecond > 0',
      );
    }
    this.intervalMs = 1000 / options.requestsPerSecond;
  }

  /** Requests waiting for a slot, for tests and figures. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Holds every later start until `ms` from now (the host's Retry-After). */
  pauseFor(ms: number): void {
    this.pausedUntilMs = Math.max(
      this.pausedUntilMs,
      this.options.clock.now() + ms,
    );
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquireSlot();
    try {
      await this.waitForStart(signal);
      return await task();
    } finally {
      this.releaseSlot();
    }
  }

  private async acquireSlot(): Promise<void> {
    if (this.active < this.options.maxConcurrency) {
      this.active++;
      return;
    }
    // The releasing request hands its slot over: `active` stays as it is.
    await new Promise<void>(resolve => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async waitForStart(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.options.clock.now();
      const start = Math.max(now, this.nextStartMs, this.pausedUntilMs);
      if (start <= now) {
        this.nextStartMs = now + this.intervalMs;
        return;
      }
      await this.options.clock.sleep(start - now, signal);
    }
  }
}
