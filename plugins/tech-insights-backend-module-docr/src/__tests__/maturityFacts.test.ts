import {
  SchedulerServiceTaskFunction,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
// The real docr backend answers the retriever, as it does in a portal.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import docrPlugin from '@backstage-docr/plugin-docr-backend';
import { createDocrMaturityFactRetriever } from '../maturityFactRetriever';

jest.setTimeout(120_000);

const registry = (name: string, region: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `docr-${name}`,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': 'digitalocean:default',
      'backstage.io/managed-by-origin-location': 'digitalocean:default',
      'digitalocean.com/registry-name': name,
      'digitalocean.com/region': region,
      'digitalocean.com/subscription-tier': 'professional',
    },
  },
  spec: { type: 'container-registry', owner: 'group:default/platform' },
});

/** What a user registers from a location of theirs, naming a registry of the provider's. */
const lookAlike = {
  ...registry('acme-prod', 'ams3'),
  metadata: {
    name: 'my-acme-prod',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://example.com/catalog-info.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/catalog-info.yaml',
      'digitalocean.com/registry-name': 'acme-prod',
    },
  },
};

describe('the docr-maturity fact retriever', () => {
  let emulator: DoEmulator;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const tasks = new Map<string, SchedulerServiceTaskFunction>();
  const tick = () =>
    tasks.get('docr-garbage-collection')!(new AbortController().signal);

  beforeAll(async () => {
    const clock = new ManualClock(Date.now());
    emulator = await DoEmulator.start({
      clock: clock.now,
      gcStepMs: 60_000,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [
          {
            name: 'acme-prod',
            region: 'ams3',
            images: [{ repository: 'web', tag: 'v1', sizeMiB: 20, pushes: 3 }],
          },
          {
            name: 'acme-dev',
            region: 'fra1',
            images: [{ repository: 'web', tag: 'v1', sizeMiB: 20, pushes: 2 }],
          },
        ],
      },
    });
    backend = await startTestBackend({
      features: [
        docrPlugin,
        // The GC task runs when the test says, as the scheduler would.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => ({
            scheduleTask: async task => {
              tasks.set(task.id, task.fn);
            },
            createScheduledTaskRunner: () => ({
              run: async task => {
                tasks.set(task.id, task.fn);
              },
            }),
            triggerTask: async () => {},
            getScheduledTasks: async () => [],
            cancelTask: async () => {},
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            digitalocean: {
              apiUrl: emulator.url,
              token: 'test',
              maxRetries: 1,
            },
            docr: {
              notifications: { enabled: false },
              garbageCollection: {
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
                    retention: { rules: [{ keepNewest: 5 }] },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    await tick(); // the listing and the tier
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/docr/registries/acme-prod/gc-runs`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: '{}',
      },
    );
    if (res.status !== 201) throw new Error(`Run GC now: ${res.status}`);
    clock.advance(5 * 60_000); // DigitalOcean's collection has ended
    await tick();
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it("gives each registry's level and checks, read from the catalog and the docr API as a service", async () => {
    const retriever = createDocrMaturityFactRetriever({
      catalog: catalogServiceMock({
        entities: [
          registry('acme-prod', 'ams3'),
          registry('acme-dev', 'fra1'),
          lookAlike,
        ],
      }),
    });
    const port = backend.server.port();
    const facts = await retriever.handler({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async id => `http://localhost:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://localhost:${port}/api/${id}`,
      },
      urlReader: {} as any,
    });
    const byName = Object.fromEntries(facts.map(f => [f.entity.name, f.facts]));
    expect(byName['docr-acme-prod']).toEqual({
      maturityLevel: 3,
      tierBasic: true,
      cleanedUp: true,
      tierProfessional: true,
      gcAutomated: true,
      retentionRules: true,
      storagePlanned: true,
      secondRegion: true,
    });
    // A user's registered entity naming acme-prod gets none of its facts.
    expect(Object.keys(byName).sort()).toEqual([
      'docr-acme-dev',
      'docr-acme-prod',
    ]);
    // Never collected, no retention rules: level 1.
    expect(byName['docr-acme-dev']).toMatchObject({
      maturityLevel: 1,
      cleanedUp: false,
      retentionRules: false,
      gcAutomated: true,
    });
  });
});
