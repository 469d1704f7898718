import { Ctx, layers } from './scenario';
import { END, MINUTE, MINUTES, PUSH_EVERY_MS, START } from './settings';

type Scheduled = (ctx: Ctx) => void;

/** What happens at each simulated minute (events and pushes), in the order it was scheduled. */
export class MinuteSchedule {
  private readonly byMinute = new Map<number, Scheduled[]>();

  at(ms: number, fn: Scheduled) {
    const minute = Math.floor((ms - START) / MINUTE);
    if (minute < 0 || minute >= MINUTES) return;
    this.byMinute.set(minute, [...(this.byMinute.get(minute) ?? []), fn]);
  }

  due(minute: number): Scheduled[] {
    return this.byMinute.get(minute) ?? [];
  }
}

/** A small seeded PRNG, so every run pushes at the same moments. */
export function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each registry gets a new manifest for web:latest every PUSH_EVERY_MS on average. The counts
 * fill in as the schedule runs.
 */
export function schedulePushes(
  schedule: MinuteSchedule,
  names: string[],
  random: () => number,
) {
  const counts = { pushes: 0, pushesRefused: 0 };
  for (const name of names) {
    let t = START;
    for (;;) {
      t += Math.max(MINUTE, -Math.log(1 - random()) * PUSH_EVERY_MS);
      if (t >= END) break;
      schedule.at(t, ({ emulator: e }) => {
        if (!e.account.registries.has(name)) return;
        counts.pushes++;
        try {
          e.push(name, 'web', 'latest', layers());
        } catch {
          counts.pushesRefused++; // read-only during its GC, as on DigitalOcean
        }
      });
    }
  }
  return counts;
}
