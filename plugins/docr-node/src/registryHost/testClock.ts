/**
 * A controlled clock for tests. `sleep` resolves when the clock reaches its deadline; `settle`
 * lets every pending task run, moving the clock to each next deadline, until the promise given
 * is done. No real time passes.
 */
export function testClock(
  startMs = Date.parse('2026-01-01T00:00:00Z'),
  options: { instant?: boolean } = {},
) {
  let nowMs = startMs;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const waits: number[] = [];
  const flush = () => new Promise<void>(resolve => setImmediate(resolve));
  const clock = {
    waits,
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
    /** Waits for `settle`; with `instant`, moves the clock on at once (one sleeper at a time). */
    sleep: (ms: number) => {
      waits.push(ms);
      if (options.instant) {
        nowMs += ms;
        return Promise.resolve();
      }
      return new Promise<void>(wake => timers.push({ at: nowMs + ms, wake }));
    },
    async settle<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const watched = work.finally(() => {
        done = true;
      });
      watched.catch(() => undefined);
      for (;;) {
        await flush();
        if (done) return watched;
        if (timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        nowMs = Math.max(nowMs, next.at);
        next.wake();
      }
    },
  };
  return clock;
}
