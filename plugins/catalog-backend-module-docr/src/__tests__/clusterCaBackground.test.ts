import type { SchedulerService } from '@backstage/backend-plugin-api';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import { startDemoCatalog } from '../__testUtils__/demoCatalog';
import {
  TestBackend,
  byName,
  eventually,
  resources,
} from '../__testUtils__/harness';

const TASK = 'digitalocean-provider:default:refresh';
const CA = 'kubernetes.io/api-server-certificate-authority';
const CLUSTERS = ['doks-prod-ams3', 'doks-staging-fra1'];
const HELD_MS = 60_000;

/**
 * The provider's first refresh in a real catalog backend, with the emulator's answers to the
 * clusters' credentials calls held on a manual clock: the refresh emits its entities without
 * waiting for them, and the CAs follow when the calls answer.
 */
describe('DOKS clusters’ certificate authorities, read after the refresh', () => {
  const clock = new ManualClock();
  let emulator: DoEmulator;
  let backend: TestBackend;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    ({ emulator, backend, scheduler } = await startDemoCatalog({
      emulator: { sleep: ms => clock.sleep(ms) },
    }));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  }, 60_000);

  const credentialsCalls = () =>
    emulator.requests
      .all()
      .filter(r => r.operationId === 'kubernetes_get_credentials');

  it('emits every entity, the clusters without a CA, before any credentials call has answered, and adds the CAs once they answer', async () => {
    emulator.faults.add({
      kind: 'delay',
      delayMs: HELD_MS,
      count: CLUSTERS.length,
      operationId: 'kubernetes_get_credentials',
    });
    await scheduler.triggerTask(TASK);
    // Both credentials calls have arrived and wait for the clock, which has not moved.
    await clock.whenSleeping(CLUSTERS.length);

    const emitted = await eventually(
      () => resources(backend),
      e => CLUSTERS.forEach(name => expect(byName(e, name)).toBeDefined()),
      30_000,
    );
    expect(credentialsCalls()).toHaveLength(CLUSTERS.length);
    expect(credentialsCalls().every(r => r.status === undefined)).toBe(true);
    for (const name of CLUSTERS) {
      const annotations = byName(emitted, name)!.metadata.annotations!;
      // Valid without the CA: the Kubernetes plugin's locator skips the cluster until it comes.
      expect(annotations).toMatchObject({
        'kubernetes.io/auth-provider': 'oidc',
        'kubernetes.io/oidc-token-provider': 'digitalocean',
      });
      expect(annotations['kubernetes.io/api-server']).toMatch(
        /^https:\/\/.*\.k8s\.ondigitalocean\.com$/,
      );
      expect(annotations[CA]).toBeUndefined();
    }
    expect(byName(emitted, 'docr-acme-prod')).toBeDefined();

    clock.advance(HELD_MS);
    const withCas = await eventually(
      () => resources(backend),
      e =>
        CLUSTERS.forEach(name =>
          expect(byName(e, name)!.metadata.annotations![CA]).toBeTruthy(),
        ),
      30_000,
    );
    expect(credentialsCalls().map(r => r.status)).toEqual([200, 200]);
    for (const name of CLUSTERS) {
      const id = byName(withCas, name)!.metadata.annotations![
        'digitalocean.com/cluster-id'
      ];
      const res = await fetch(
        `${emulator.url}/v2/kubernetes/clusters/${id}/credentials`,
        { headers: { authorization: 'Bearer test' } },
      );
      const { certificate_authority_data } = await res.json();
      expect(byName(withCas, name)!.metadata.annotations![CA]).toBe(
        certificate_authority_data,
      );
    }
  }, 90_000);

  it('emits the CAs it holds with the clusters in the next refresh, without calling for them again', async () => {
    emulator.requests.reset();
    await scheduler.triggerTask(TASK);
    const entities = await resources(backend);
    for (const name of CLUSTERS)
      expect(byName(entities, name)!.metadata.annotations![CA]).toBeTruthy();
    expect(credentialsCalls()).toHaveLength(0);
  }, 60_000);
});
