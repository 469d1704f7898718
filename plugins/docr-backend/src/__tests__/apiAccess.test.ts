import { apiHarness } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  const h = apiHarness();

  it('answers 401 without credentials', async () => {
    await h.start();
    for (const path of [
      '/registries',
      '/registries/acme-dev',
      '/registries/acme-dev/gc-runs',
    ]) {
      expect((await h.docr.api('get', path, undefined, null)).status).toBe(401);
    }
    expect(
      (await h.docr.api('post', '/registries/acme-dev/gc-runs', {}, null))
        .status,
    ).toBe(401);
  });

  it('answers 403 without permission, naming it, and does nothing', async () => {
    await h.start(['docr.registry.read']);
    h.emulator.requests.reset();
    const run = await h.docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(run.status).toBe(403);
    expect(run.body.error.message).toBe(
      'Not allowed: docr.garbage-collection.run on resource:default/docr-acme-dev',
    );
    const policy = await h.docr.api('put', '/registries/acme-dev/policy', {
      windows: [],
    });
    expect(policy.status).toBe(403);
    expect(policy.body.error.message).toContain('docr.policy.update');
    expect(h.emulator.requests.mutating()).toEqual([]);
    expect(h.emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(0);
    expect(
      (await h.docr.api('get', '/registries/acme-dev/gc-runs')).body.totalCount,
    ).toBe(0);
    expect(
      (await h.docr.api('get', '/registries/acme-dev/policy')).body.source,
    ).toBe('default');
    expect(h.audit.map(a => [a.eventId, a.outcome])).toEqual([
      ['gc-run-start', 'fail'],
      ['policy-update', 'fail'],
    ]);
  });

  it('needs docr.registry.read to read, and lists only the registries the user may read', async () => {
    await h.start([]);
    for (const path of [
      '/registries/acme-dev',
      '/registries/acme-dev/policy',
      '/registries/acme-dev/gc-runs',
      '/registries/acme-dev/storage',
    ]) {
      const res = await h.docr.api('get', path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('docr.registry.read');
    }
    expect((await h.docr.api('get', '/registries')).body.items).toEqual([]);
    // Nothing to read in the account: it is not listed either.
    expect((await h.docr.api('get', '/accounts')).body.items).toEqual([]);
  });
});
