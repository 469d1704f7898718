import { mockServices } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { ImagesInUseReader } from './ImagesInUseReader';

const HOST = 'registry.digitalocean.com';
const CONTAINERS = 1_000;
const PODS = 250;

describe('ImagesInUseReader on a large cluster', () => {
  let emulator: DoEmulator;
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      clock: clock.now,
      seed: {
        registries: [
          {
            name: 'acme-prod',
            images: [{ repository: 'web', tag: 'v1', sizeMiB: 1 }],
          },
        ],
        clusters: [
          {
            name: 'big-ams3',
            registries: ['acme-prod'],
            workloads: [
              {
                kind: 'Deployment',
                namespace: 'shop',
                name: 'web',
                replicas: PODS,
                containers: Array.from({ length: CONTAINERS }, (_, i) => ({
                  name: `c${i}`,
                  image: `${HOST}/acme-prod/web:v1`,
                })),
              },
            ],
          },
        ],
      },
    });
  }, 120_000);
  afterAll(() => emulator?.stop());

  it('reads a cluster with more uses than a function call takes arguments (250,000 running containers)', async () => {
    const read = await new ImagesInUseReader({
      client: new DigitalOceanClient({ token: 'test', apiUrl: emulator.url }),
      logger: mockServices.logger.mock(),
      now: () => new Date(clock.now()),
    }).read();
    expect(read.unreadable).toEqual([]);
    expect(read.uses.filter(u => u.kind === 'running')).toHaveLength(
      CONTAINERS * PODS,
    );
  }, 120_000);
});
