import { apiHarness } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  const h = apiHarness();

  it('stores a policy through the API, names the bad field with 400, and refuses config-managed ones', async () => {
    await h.start();
    const policy = {
      type: 'untagged manifests only',
      windows: [
        {
          days: ['wed'],
          start: '01:30',
          duration: 'PT90M',
          timezone: 'America/New_York',
        },
      ],
    };
    const put = await h.docr.api('put', '/registries/acme-dev/policy', policy);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      source: 'api',
      managedByConfig: false,
      updatedBy: 'user:default/mock',
    });
    expect(
      (await h.docr.api('get', '/registries/acme-dev/policy')).body.policy,
    ).toEqual({
      enabled: true,
      cancelAtWindowEnd: true,
      notifyBeforeWindow: 'PT30M',
      ...policy,
    });

    const bad = await h.docr.api('put', '/registries/acme-dev/policy', {
      windows: [
        {
          days: ['wed'],
          start: '01:30',
          duration: 'PT1H',
          timezone: 'Moon/Base',
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'windows.0.timezone: Time zone must be an IANA time zone',
    );

    const managed = await h.docr.api(
      'put',
      '/registries/acme-prod/policy',
      policy,
    );
    expect(managed.status).toBe(409);
    expect(managed.body.error.message).toContain(
      'managed by config (docr.garbageCollection.registries.acme-prod)',
    );
    expect(
      (await h.docr.api('put', '/registries/unknown/policy', policy)).status,
    ).toBe(404);
    expect(
      h.audit.filter(a => a.eventId === 'policy-update').map(a => a.outcome),
    ).toEqual(['success', 'fail', 'fail', 'fail']);
  });
});
