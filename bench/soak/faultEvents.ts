import { DoEmulator } from '@backstage-docr/do-emulator';
import { AccountSpec, Ctx } from './scenario';
import { BUDGET_PER_MINUTE } from './settings';

/** Everything answered 429 for an hour (the fault carries the emulator's rate-limit headers). */
export const storm429 = (from: string, to: string): AccountSpec['events'] => [
  {
    at: from,
    run: ({ emulator, note }) => {
      emulator.faults.add({ kind: 'error', status: 429, count: 1e9 });
      note('429 storm (every call) starts');
    },
  },
  {
    at: to,
    run: ({ emulator, note }) => {
      emulator.faults.clear();
      note('429 storm ends');
    },
  },
];

/** The emulator's own per-minute rate limit cut to `perMinute` for an hour: 429 + retry-after. */
export const throttled = (
  from: string,
  to: string,
  perMinute: number,
): AccountSpec['events'] => {
  // The limiter is private to the emulator; its budget is read at each request.
  const limiter = (emulator: DoEmulator) =>
    (
      emulator as unknown as {
        rateLimiter: { options: { perMinute: number } };
      }
    ).rateLimiter.options;
  return [
    {
      at: from,
      run: ({ emulator, note }) => {
        limiter(emulator).perMinute = perMinute;
        note(`rate limit cut to ${perMinute}/min (429 with retry-after)`);
      },
    },
    {
      at: to,
      run: ({ emulator, note }) => {
        limiter(emulator).perMinute = BUDGET_PER_MINUTE;
        note(`rate limit back to ${BUDGET_PER_MINUTE}/min`);
      },
    },
  ];
};

export const burst5xx = (
  at: string,
  status: number,
  count: number,
): AccountSpec['events'][number] => ({
  at,
  run: ({ emulator, note }) => {
    emulator.faults.add({ kind: 'error', status, count });
    note(`burst of ${count} x ${status}`);
  },
});

export const failNextGcs = (at: string, count: number) => ({
  at,
  run: ({ emulator, note }: Ctx) => {
    emulator.account.failNextGcs = count;
    note(`next ${count} GCs fail on DigitalOcean's side`);
  },
});
