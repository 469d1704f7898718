import { mockServices } from '@backstage/backend-test-utils';
import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { JournalEntry } from './DeletionJournal';
import { deleteEntry } from './deleteEntry';
import { RunGuard } from './RunGuard';
import type { Verdict } from './TagChecker';

const REGISTRY = 'acme';
const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('deleteEntry: the check right before the DELETE, inside the guarded call', () => {
  let emulator: DoEmulator;
  let guard: RunGuard;
  /** A client that leaves every 429 to the run's guard. */
  let client: DigitalOceanClient;

  beforeEach(async () => {
    emulator = await DoEmulator.start({
      seed: { registries: [{ name: REGISTRY }] },
      clock: () => NOW,
      rateLimitPerMinute: 1e9,
      rateLimitPerHour: 1e9,
    });
    client = new DigitalOceanClient({
      token: 'test',
      apiUrl: emulator.url,
      maxRateLimitWaitMs: 0,
    });
    guard = new RunGuard({
      deadline: new Date(NOW + 3_600_000),
      now: () => new Date(NOW),
      pacing: {
        callsPerMinute: Infinity,
        callsPerHour: Infinity,
        registryHost: { callsPerMinute: Infinity, callsPerHour: Infinity },
        minRateLimitPauseMs: 1,
        maxRateLimitPauseMs: 1,
      },
      logger: mockServices.logger.mock(),
      sleep: async () => undefined,
    });
  });

  afterEach(async () => {
    guard.dispose();
    await emulator.stop();
  });

  const entry = (fields: Partial<JournalEntry>): JournalEntry => ({
    id: 1,
    status: 'planned',
    repository: 'web',
    digest: '',
    rule: 0,
    reason: 'rule 1',
    compressedSizeBytes: 0,
    ...fields,
  });

  it("reads the tag again on each attempt after DigitalOcean's 429, right before the DELETE", async () => {
    const { manifest } = await registryPusher(emulator, REGISTRY, 'web').image(
      'v1',
      { tag: 'v1' },
    );
    emulator.faults.configure({
      // One more than the client's own waits (5): the last reaches the run's guard.
      rules: [{ kind: 'error', status: 429, method: 'DELETE', count: 6 }],
    });
    const heads: number[] = [];
    const head = async (): Promise<Verdict> => {
      heads.push(emulator.requests.all().length);
      return { verdict: 'delete' };
    };
    const outcome = await deleteEntry(
      client,
      guard,
      REGISTRY,
      entry({ tag: 'v1', digest: manifest.digest }),
      head,
    );
    expect(outcome).toEqual({ value: { calls: 1 } });
    expect(guard.rateLimitPauses).toBe(1);
    expect(heads).toHaveLength(2);
    expect((await client.listTags(REGISTRY, 'web')).map(t => t.tag)).toEqual(
      [],
    );
  });

  it('keeps an untagged manifest tagged since it was planned: a tag listing made in the call', async () => {
    const push = registryPusher(emulator, REGISTRY, 'web');
    const { manifest } = await push.image('build');
    await push.image('build', { tag: 'tagged-later' });
    const outcome = await deleteEntry(
      client,
      guard,
      REGISTRY,
      entry({ digest: manifest.digest }),
    );
    expect(outcome).toMatchObject({
      value: {
        verdict: {
          verdict: 'changed',
          detail: expect.stringContaining('tagged-later'),
        },
      },
    });
    expect(emulator.requests.all().filter(r => r.method === 'DELETE')).toEqual(
      [],
    );
  });
});
