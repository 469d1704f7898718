import { mockCredentials } from '@backstage/backend-test-utils';
import { MINUTE } from '../__testUtils__/backend';
import { apiHarness } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  const h = apiHarness();

  it('runs GC now with permission, refuses a second with 409, cancels, and audits who did it', async () => {
    await h.start();
    const started = await h.docr.api(
      'post',
      '/registries/acme-dev/gc-runs',
      {},
    );
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      trigger: 'manual',
      status: 'requested',
      type: 'untagged manifests and unreferenced blobs',
      requestedBy: 'user:default/mock',
    });
    const again = await h.docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(again.status).toBe(409);
    expect(again.body.error.name).toBe('ConflictError');
    const detail = await h.docr.api('get', '/registries/acme-dev');
    expect(detail.body.activeRun.id).toBe(started.body.id);

    const cancelled = await h.docr.api(
      'post',
      `/registries/acme-dev/gc-runs/${started.body.id}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelling',
      reason: 'Cancelled by user:default/mock',
    });
    h.clock.advance(2 * MINUTE);
    await h.docr.tick();
    const { body } = await h.docr.api(
      'get',
      '/registries/acme-dev/gc-runs?limit=10',
    );
    expect(body).toMatchObject({ totalCount: 1, limit: 10, offset: 0 });
    expect(body.items[0].status).toBe('cancelled');
    expect(h.audit.map(a => [a.eventId, a.outcome])).toEqual([
      ['gc-run-start', 'success'],
      ['gc-run-start', 'fail'],
      ['gc-run-cancel', 'success'],
    ]);
    expect(h.audit[0].meta).toMatchObject({
      registry: 'acme-dev',
      actor: 'user:default/mock',
    });
  });

  it('answers 502 naming DigitalOcean’s error when DigitalOcean fails', async () => {
    await h.start();
    h.emulator.faults.add({
      kind: 'error',
      status: 503,
      count: 10,
      operationId: 'registries_get',
    });
    const res = await h.docr.api('post', '/registries/acme-dev/gc-runs', {});
    h.emulator.faults.clear();
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain(
      'GET /v2/registries/acme-dev failed with 503 service_unavailable',
    );
  });

  it('answers 409 when DigitalOcean already runs a GC started elsewhere', async () => {
    await h.start();
    h.emulator.account.startGc('acme-dev', 'unreferenced blobs only');
    const res = await h.docr.api(
      'post',
      '/registries/acme-dev/gc-runs',
      {},
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'DigitalOcean is already running garbage collection',
    );
  });
});
