import type { ManualClock } from '@backstage-docr/do-emulator';

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * Runs `work` on a ManualClock that moves on by itself: whenever something sleeps on it, time
 * jumps to the earliest deadline, until the work is done. For tests whose waits (pacing,
 * Retry-After, backoff) should pass at once but in order; no real time is spent.
 */
export async function runOnClock<T>(
  clock: ManualClock,
  work: Promise<T>,
): Promise<T> {
  let done = false;
  const watched = work.finally(() => {
    done = true;
  });
  watched.catch(() => undefined);
  while (!done) {
    await Promise.race([watched.catch(() => undefined), clock.whenSleeping(1)]);
    // Sleeps started in the same turn all register before the earliest is woken.
    await nextTurn();
    if (!done) clock.advanceToNextSleep();
  }
  return watched;
}
