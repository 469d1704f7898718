import { ciHistorySeedPath } from '../demoSeed';
import { DoEmulator } from '../http/server';
import { loadSeedFile } from '../seed';
import { commitTag } from '../seedHistory';
import { caller } from './http';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

describe('seeded push times and CI histories', () => {
  let emulator: DoEmulator | undefined;

  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it('dates a seeded image by its pushedAt, and refuses a pushedAt that is not a time', async () => {
    emulator = await DoEmulator.start({
      clock: () => NOW,
      seed: {
        registries: [
          {
            name: 'acme',
            images: [
              { repository: 'web', tag: 'new', sizeMiB: 1 },
              {
                repository: 'web',
                tag: 'old',
                sizeMiB: 1,
                pushedAt: '2026-10-01T08:00:00Z',
              },
            ],
          },
        ],
      },
    });
    const { body } = await caller(emulator)(
      'GET',
      '/v2/registries/acme/repositories/web/tags',
    );
    expect(body.tags.map((t: any) => [t.tag, t.updated_at])).toEqual([
      ['new', '2026-11-23T12:00:00.000Z'],
      ['old', '2026-10-01T08:00:00.000Z'],
    ]);
    await emulator.stop();
    emulator = undefined;
    await expect(
      DoEmulator.start({
        clock: () => NOW,
        seed: {
          registries: [
            {
              name: 'acme',
              images: [{ repository: 'web', tag: 'x', pushedAt: 'yesterday' }],
            },
          ],
        },
      }),
    ).rejects.toThrow(
      'Seed image acme/web:x has pushedAt "yesterday", not an ISO 8601 time',
    );
  });

  it('seeds ci-history.yaml: 3 repositories × 300 commit tags over 90 days, releases and latest, shared layers', async () => {
    emulator = await DoEmulator.start({
      clock: () => NOW,
      seed: loadSeedFile(ciHistorySeedPath),
    });
    const storage = emulator.account.getRegistry('acme-ci').storage;
    expect([...storage.repositories.keys()].sort()).toEqual([
      'api',
      'web',
      'worker',
    ]);
    for (const repository of storage.repositories.values()) {
      const tags = [...repository.tags.keys()];
      const commits = tags.filter(t => /^sha-[0-9a-f]{12}$/.test(t));
      expect(commits).toHaveLength(300);
      expect(tags.filter(t => /^v1\.\d+\.0$/.test(t))).toHaveLength(12);
      // Each commit its own manifest; releases and latest point at commits' manifests.
      expect(repository.manifests.size).toBe(300);
      const times = [...repository.tagUpdatedAt.values()];
      expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - 90 * DAY);
      expect(Math.max(...times)).toBeLessThan(NOW);
      // Spread: a commit in each of the 90 days.
      const days = new Set(times.map(t => Math.floor((NOW - t) / DAY)));
      expect(days.size).toBe(90);
      expect(repository.tags.get('latest')).toBe(
        repository.tags.get('v1.12.0'),
      );
      expect(repository.tags.get('v1.1.0')).toBe(
        repository.tags.get(commitTag('acme-ci', repository.name, 24)),
      );
    }
    // One base layer for the registry, a dependencies layer per ten commits, one per commit.
    expect(storage.blobs.size).toBe(1 + 3 * 30 + 3 * 300);
    const web = storage.repositories.get('web')!;
    const first = web.manifests.get(
      web.tags.get(commitTag('acme-ci', 'web', 0))!,
    )!;
    const tenth = web.manifests.get(
      web.tags.get(commitTag('acme-ci', 'web', 9))!,
    )!;
    expect(tenth.layers.slice(0, 2)).toEqual(first.layers.slice(0, 2));
    expect(tenth.layers[2]).not.toBe(first.layers[2]);
  });
});
