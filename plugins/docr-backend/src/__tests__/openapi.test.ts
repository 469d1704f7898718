import { apiHarness } from '../__testUtils__/apiBackend';
import { spec } from '../schema/openapi/generated/router';

jest.setTimeout(60_000);

describe('docr REST API and its OpenAPI spec', () => {
  const h = apiHarness({ shared: true });

  it('serves the spec, every route under /api/docr', async () => {
    const res = await h.docr.api('get', '/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths)
        .map(path => `/api/docr${path}`)
        .sort(),
    );
  });

  it.each([
    [
      '/registries/acme-dev/gc-runs?limit=101',
      'request/query/limit must be <= 100',
    ],
    [
      '/accounts/default/registries/acme-dev/gc-runs?limit=0',
      'request/query/limit must be >= 1',
    ],
    [
      '/registries/acme-dev/repositories?limit=201',
      'request/query/limit must be <= 200',
    ],
    [
      '/registries/acme-dev/storage?days=many',
      'request/query/days must be integer',
    ],
    ['/registries/acme-dev/storage?since=1', "Unknown query parameter 'since'"],
  ])('answers 400 naming the field: GET %s', async (path, message) => {
    const res = await h.docr.api('get', path);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'InputError', message });
  });

  it('validates bodies and path parameters in both forms of a route', async () => {
    const check = await h.docr.api(
      'post',
      '/accounts/default/registry-names/check',
      {
        name: 42,
      },
    );
    expect(check.status).toBe(400);
    expect(check.body.error.message).toBe('request/body/name must be string');
    const policy = await h.docr.api('put', '/registries/acme-dev/policy', {
      windows: [
        {
          days: ['someday'],
          start: '03:00',
          duration: 'PT1H',
          timezone: 'UTC',
        },
      ],
    });
    expect(policy.status).toBe(400);
    expect(policy.body.error.message).toContain(
      'request/body/windows/0/days/0',
    );
    const cancel = await h.docr.api(
      'post',
      '/registries/acme-dev/gc-runs/last/cancel',
      {},
    );
    expect(cancel.status).toBe(400);
    expect(cancel.body.error.message).toBe('request/params/id must be integer');
  });
});
