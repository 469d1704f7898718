import { DoEmulator } from '../http/server';
import type { RequestEntry } from '../http/RequestLog';
import { registryKit, smallImage } from './registryKit';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-22T03:00:00Z');

describe("the registry host's request log", () => {
  let now: number;
  let emulator: DoEmulator;
  let kit: ReturnType<typeof registryKit>;

  beforeEach(async () => {
    now = NOW;
    emulator = await DoEmulator.start({
      clock: () => now,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }],
      },
    });
    kit = registryKit(emulator);
  });

  afterEach(() => emulator.stop());

  const merged = (): RequestEntry[] =>
    [...emulator.requests.all(), ...emulator.registryRequests.all()].sort(
      (a, b) => a.seq - b.seq,
    );

  it('records each request by route and method with its status, dated on the emulator clock, in one order with the API', async () => {
    const push = await kit.credentials('acme', true);
    now += 1_000;
    const image = smallImage('web');
    await kit.pushImage('acme/web', '1.0.0', image, push);
    now += 1_000;
    const head = await kit.request('HEAD', '/v2/acme/web/manifests/1.0.0', {
      authorization: push,
      headers: { accept: image.manifest.mediaType },
    });
    expect(head.status).toBe(200);
    const missing = await kit.request('HEAD', '/v2/acme/web/manifests/nope', {
      authorization: push,
    });
    expect(missing.status).toBe(404);
    await kit.api('DELETE', '/v2/registries/acme/repositories/web/tags/1.0.0');
    const token = await kit.request(
      'GET',
      '/v2/token?service=registry.digitalocean.com&scope=repository:acme/web:pull',
      { authorization: push },
    );
    expect(token.status).toBe(200);

    expect(
      merged().map(e => [
        e.method,
        e.operationId ?? e.path,
        e.status,
        e.at - NOW,
      ]),
    ).toEqual([
      ['GET', 'registries_get_dockerCredentials', 200, 0],
      ['POST', 'upload_post', 201, 1_000],
      ['POST', 'upload_post', 201, 1_000],
      ['POST', 'upload_post', 201, 1_000],
      ['PUT', 'manifest_put', 201, 1_000],
      ['HEAD', 'manifest_head', 200, 2_000],
      ['HEAD', 'manifest_head', 404, 2_000],
      ['DELETE', 'registries_delete_repositoryTag', 204, 2_000],
      ['GET', 'token_get', 200, 2_000],
    ]);
    expect(emulator.registryRequests.count('manifest_head')).toBe(2);
    expect(emulator.registryRequests.count()).toBe(7);
    expect(emulator.registryRequests.all()[4].path).toBe(
      '/v2/acme/web/manifests/1.0.0',
    );
    expect(emulator.registryRequests.mutating()).toHaveLength(4);
  });

  it('holds no credential: no header, query or body is logged', async () => {
    const push = await kit.credentials('acme', true);
    const password = Buffer.from(push.slice('Basic '.length), 'base64')
      .toString()
      .split(':')[1];
    const res = await kit.request(
      'GET',
      `/v2/token?service=registry.digitalocean.com&scope=repository:acme/web:pull&account=${password}`,
      { authorization: push },
    );
    const { token } = await res.json();
    await kit.request('GET', '/v2/acme/web/tags/list', {
      authorization: `Bearer ${token}`,
    });
    const logged = JSON.stringify([
      emulator.registryRequests.all(),
      emulator.registryRequests.summary(),
    ]);
    expect(password.length).toBeGreaterThan(8);
    expect(logged).not.toContain(password);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(push.slice('Basic '.length));
    expect(emulator.registryRequests.summary()).toEqual({
      total: 2,
      byOperation: { tags_get: 1, token_get: 1 },
    });
  });

  it('serves its counts on /_emulator/registry-requests and starts over on a reset', async () => {
    await kit.request('GET', '/v2/');
    const summary = await fetch(`${emulator.url}/_emulator/registry-requests`);
    expect(await summary.json()).toEqual({
      total: 1,
      byOperation: { base_get: 1 },
    });
    await fetch(`${emulator.url}/_emulator/registry-requests`, {
      method: 'DELETE',
    });
    expect(emulator.registryRequests.count()).toBe(0);
    await kit.request('GET', '/v2/');
    emulator.reset();
    expect(emulator.registryRequests.all()).toEqual([]);
  });
});
