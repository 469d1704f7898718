import { Pacer } from './Pacer';
import { ManualClock } from '@backstage-docr/do-emulator';

describe('Pacer', () => {
  it('starts requests no closer than the rate allows', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({
      maxConcurrency: 10,
      requestsPerSecond: 4,
      clock,
    });
    const starts: number[] = [];
    await clock.passTimeUntil(
      Promise.all(
        Array.from({ length: 5 }, () =>
          pacer.run(async () => {
            starts.push(clock.now());
          }),
        ),
      ),
    );
    const offsets = starts.map(at => at - starts[0]);
    expect(offsets).toEqual([0, 250, 500, 750, 1000]);
  });

  it('never runs more than maxConcurrency tasks at once', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({
      maxConcurrency: 2,
      requestsPerSecond: 1000,
      clock,
    });
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 6 }, () =>
      pacer.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>(resolve => releases.push(resolve));
        running--;
      }),
    );
    const all = clock.passTimeUntil(Promise.all(tasks));
    const waitForRunning = async (count: number) => {
      while (releases.length < count) await new Promise(r => setImmediate(r));
    };
    for (let started = 2; started <= 6; started++) {
      await waitForRunning(started);
      expect(pacer.queued).toBe(6 - started);
      releases[started - 2]();
    }
    releases[4]();
    releases[5]();
    await all;
    expect(most).toBe(2);
  });

  it('holds every start while the host has asked to wait', async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({
      maxConcurrency: 4,
      requestsPerSecond: 100,
      clock,
    });
    const pausedAt = clock.now();
    pacer.pauseFor(3_000);
    const startedAt = await clock.passTimeUntil(
      pacer.run(async () => clock.now()),
    );
    expect(startedAt - pausedAt).toBe(3_000);
  });

  it('refuses a pace that would never start anything', () => {
    const clock = new ManualClock();
    expect(
      () => new Pacer({ maxConcurrency: 0, requestsPerSecond: 1, clock }),
    ).toThrow(/maxConcurrency/);
  });
});
