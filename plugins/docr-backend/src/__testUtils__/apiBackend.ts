import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  SetUpHarness,
  TestClock,
  acmeSeed,
  startDocrBackend,
} from './backend';

const docrConfig = {
  garbageCollection: {
    default: {
      windows: [
        { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
      ],
    },
    registries: {
      'acme-prod': {
        windows: [
          {
            days: ['sat'],
            start: '22:00',
            duration: 'PT3H',
            timezone: 'Europe/Berlin',
          },
        ],
      },
    },
  },
};

export type AuditEntry = { eventId: string; outcome: string; meta?: any };

/**
 * The REST API tests' setup: two registries (acme-prod's policy in config), a clock on a Monday,
 * the first storage sample taken, and the audit events recorded. Allows the named permissions
 * (all when none are named).
 */
export async function startApiBackend(allowed?: string[]) {
  const audit: AuditEntry[] = [];
  const clock = new TestClock(Date.parse('2026-11-23T10:00:00Z')); // a Monday
  const emulator = await DoEmulator.start({
    seed: acmeSeed(),
    clock: clock.now,
    gcStepMs: MINUTE,
    validateResponses: true,
  });
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId, meta }: any) => ({
      success: async (options?: any) => {
        audit.push({
          eventId,
          outcome: 'success',
          meta: { ...meta, ...options?.meta },
        });
      },
      fail: async () => {
        audit.push({ eventId, outcome: 'fail', meta });
      },
    }),
  });
  let docr: DocrTestBackend | undefined;
  try {
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      docr: docrConfig,
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(r => ({
              result:
                !allowed || allowed.includes(r.permission.name)
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
        }).factory,
        auditor.factory,
      ],
    });
    await docr.tick(); // first storage sample
    return { clock, emulator, docr, audit };
  } catch (error) {
    await docr?.stop();
    await emulator.stop();
    throw error;
  }
}

/** What {@link startApiBackend} starts. */
export type ApiBackend = Awaited<ReturnType<typeof startApiBackend>>;

/** The REST API tests' harness: see {@link apiHarness}. */
class ApiHarness extends SetUpHarness<ApiBackend> {
  /** Starts the set-up, allowing the named permissions (all when none are named). */
  readonly start = async (allowed?: string[]) => {
    this.current = await startApiBackend(allowed);
  };

  /** The audit events recorded since the last start. */
  get audit(): AuditEntry[] {
    return this.current.audit;
  }
}

/**
 * The REST API tests' harness, called inside a `describe`: `start` brings up
 * {@link startApiBackend}'s set-up (allowing the named permissions, all when none are), and it
 * is stopped after each test. With `shared`, one set-up allowing everything serves all the
 * `describe`'s tests instead: started before the first, stopped after the last. `clock`,
 * `emulator`, `docr` and `audit` are the last start's.
 */
export function apiHarness(options: { shared?: boolean } = {}): ApiHarness {
  const harness = new ApiHarness();
  if (options.shared) {
    beforeAll(() => harness.start());
    afterAll(harness.stop);
  } else {
    afterEach(harness.stop);
  }
  return harness;
}
