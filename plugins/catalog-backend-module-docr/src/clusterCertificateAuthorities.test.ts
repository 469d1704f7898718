import { mockServices } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import {
  CLUSTER_CA_BATCH,
  CLUSTER_CA_PACE,
  ClusterCertificateAuthorities,
} from './clusterCertificateAuthorities';

const CLUSTERS = 60;

/** The clusters with an endpoint (the seed leaves some provisioning, which have none). */
const ready = (client: DigitalOceanClient) =>
  client.listClusters().then(all => all.filter(c => c.endpoint));

describe('ClusterCertificateAuthorities', () => {
  const clock = new ManualClock();
  let emulator: DoEmulator;
  let client: DigitalOceanClient;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      clock: clock.now,
      validateResponses: true,
      seed: {
        clusters: Array.from({ length: CLUSTERS }, (_, i) => ({
          name: `cluster-${String(i).padStart(2, '0')}`,
        })),
      },
    });
    client = new DigitalOceanClient({
      token: 'test',
      apiUrl: emulator.url,
      clock,
    });
  }, 60_000);

  afterAll(async () => {
    await emulator?.stop();
  }, 30_000);

  it('reads the CAs paced (10 at once, then 2 a second) and hands them over in batches, then holds them', async () => {
    const clusters = await ready(client);
    const cas = new ClusterCertificateAuthorities({
      client,
      logger: mockServices.logger.mock(),
      clock,
    });
    const batches: Map<string, string>[] = [];
    emulator.requests.reset();
    const started = clock.now();

    const due = await cas.readInBackground(clusters, async batch => {
      batches.push(batch);
    });
    expect(due).toBe(clusters.length);
    await clock.passTimeUntil(cas.settled());

    const calls = emulator.requests
      .all()
      .filter(r => r.operationId === 'kubernetes_get_credentials');
    expect(calls).toHaveLength(clusters.length);
    const perTokenMs = CLUSTER_CA_PACE.perMs / CLUSTER_CA_PACE.requests;
    // The k-th call beyond the first bucketful starts no sooner than k tokens' refill.
    calls.forEach((call, i) => {
      const extra = Math.max(0, i + 1 - CLUSTER_CA_PACE.requests);
      expect(call.at - started).toBeGreaterThanOrEqual(extra * perTokenMs);
    });
    expect(calls[clusters.length - 1].at - started).toBe(
      (clusters.length - CLUSTER_CA_PACE.requests) * perTokenMs,
    );
    expect(batches.map(b => b.size)).toEqual([
      CLUSTER_CA_BATCH,
      clusters.length - CLUSTER_CA_BATCH,
    ]);
    expect(cas.known(clusters).size).toBe(clusters.length);

    // Held for a day: nothing is due, nothing is called.
    emulator.requests.reset();
    expect(await cas.readInBackground(clusters, async () => {})).toBe(0);
    expect(emulator.requests.count()).toBe(0);
  }, 60_000);

  it('logs a failed read and goes on with the others; a failed hand-over is logged too', async () => {
    const clusters = (await ready(client)).slice(0, 3);
    const logger = mockServices.logger.mock();
    const cas = new ClusterCertificateAuthorities({ client, logger, clock });
    emulator.requests.reset();
    emulator.faults.add({
      kind: 'error',
      status: 404,
      operationId: 'kubernetes_get_credentials',
    });
    await cas.readInBackground(clusters, async () => {
      throw new Error('catalog unavailable');
    });
    await clock.passTimeUntil(cas.settled());
    expect(
      emulator.requests
        .all()
        .filter(r => r.operationId === 'kubernetes_get_credentials')
        .map(r => r.status)
        .sort(),
    ).toEqual([200, 200, 404]);
    expect(cas.known(clusters).size).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Could not read the certificate authority of/),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog unavailable'),
    );
  }, 60_000);

  it('stops reading when stopped, and hands nothing over after', async () => {
    const clusters = await ready(client);
    const cas = new ClusterCertificateAuthorities({
      client,
      logger: mockServices.logger.mock(),
      clock,
    });
    const deliver = jest.fn(async () => {});
    emulator.requests.reset();
    await cas.readInBackground(clusters.slice(0, 30), deliver);
    // The first bucketful is read; the next reads wait for the clock.
    await clock.whenSleeping(1);
    await cas.stop();
    expect(deliver).not.toHaveBeenCalled();
    expect(
      emulator.requests.count('kubernetes_get_credentials'),
    ).toBeLessThanOrEqual(CLUSTER_CA_PACE.requests);
  }, 60_000);
});
