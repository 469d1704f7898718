import { DoEmulator } from '../http/server';
import { registryKit, smallImage } from './registryKit';

const NOW = Date.parse('2026-11-22T03:00:00Z');

describe('registry host authentication, as DOCR does it', () => {
  let now: number;
  let emulator: DoEmulator;
  let kit: ReturnType<typeof registryKit>;

  beforeEach(async () => {
    now = NOW;
    emulator = await DoEmulator.start({
      clock: () => now,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }, { name: 'other' }],
      },
    });
    kit = registryKit(emulator);
  });

  afterEach(() => emulator.stop());

  async function token(authorization: string | undefined, scope: string) {
    const res = await kit.request(
      'GET',
      `/v2/token?service=registry.digitalocean.com&scope=${encodeURIComponent(scope)}`,
      { authorization },
    );
    return { status: res.status, body: await res.json() };
  }

  it('challenges a request without credentials to get a token from the realm on the registry host', async () => {
    const res = await kit.request('GET', '/v2/');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${emulator.registryUrl}/v2/token",service="registry.digitalocean.com"`,
    );
    expect((await res.json()).errors[0].code).toBe('UNAUTHORIZED');
    const pull = await kit.request('GET', '/v2/acme/web/manifests/latest');
    expect(pull.headers.get('www-authenticate')).toContain(
      'scope="repository:acme/web:pull"',
    );
  });

  it('grants pull only to read-only credentials, pull and push to read-write ones', async () => {
    const scope = 'repository:acme/web:pull,push';
    const readOnly = await token(await kit.credentials('acme', false), scope);
    expect(readOnly.status).toBe(200);
    expect(readOnly.body.token).toBe(readOnly.body.access_token);
    expect(readOnly.body.expires_in).toBeGreaterThan(0);
    const claims = (t: string) =>
      JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
    expect(claims(readOnly.body.token).access).toEqual([
      { type: 'repository', name: 'acme/web', actions: ['pull'] },
    ]);
    const readWrite = await token(await kit.credentials('acme', true), scope);
    expect(claims(readWrite.body.token)).toMatchObject({
      registry: 'acme',
      access: [
        { type: 'repository', name: 'acme/web', actions: ['pull', 'push'] },
      ],
    });
    const base = await kit.request('GET', '/v2/', {
      authorization: `Bearer ${readWrite.body.token}`,
    });
    expect(base.status).toBe(200);
  });

  it('refuses expired credentials (401) and another registry’s scope (403 DENIED)', async () => {
    const shortLived = await kit.credentials('acme', true, 60);
    expect((await token(shortLived, 'repository:acme/web:pull')).status).toBe(
      200,
    );
    const other = await token(shortLived, 'repository:other/web:pull');
    expect(other.status).toBe(403);
    expect(other.body.errors[0].code).toBe('DENIED');
    now += 60_000;
    const expired = await token(shortLived, 'repository:acme/web:pull');
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].code).toBe('UNAUTHORIZED');
    const direct = await kit.request('GET', '/v2/acme/web/tags/list', {
      authorization: shortLived,
    });
    expect(direct.status).toBe(401);
    const unknown = await token(
      `Basic ${Buffer.from('who:what').toString('base64')}`,
      'repository:acme/web:pull',
    );
    expect(unknown.status).toBe(401);
  });

  it('denies a push with read-only credentials, by token (401, insufficient scope) and by Basic (403)', async () => {
    const image = smallImage('ro');
    const readOnly = await kit.credentials('acme', false);
    const { body } = await token(readOnly, 'repository:acme/web:pull,push');
    const byToken = await kit.request('POST', '/v2/acme/web/blobs/uploads/', {
      authorization: `Bearer ${body.token}`,
    });
    expect(byToken.status).toBe(401);
    expect(byToken.headers.get('www-authenticate')).toContain(
      'error="insufficient_scope"',
    );
    const byBasic = await kit.request('PUT', `/v2/acme/web/manifests/latest`, {
      authorization: readOnly,
      body: image.manifest.bytes,
    });
    expect(byBasic.status).toBe(403);
    expect((await byBasic.json()).errors[0].code).toBe('DENIED');
  });

  it('accepts a token and Basic credentials alike for pushes and pulls, each only in its registry', async () => {
    const image = smallImage('rw');
    const readWrite = await kit.credentials('acme', true);
    const { body } = await token(readWrite, 'repository:acme/web:pull,push');
    await kit.pushImage('acme/web', 'v1', image, `Bearer ${body.token}`);
    const pulled = await kit.getManifest('acme/web', 'v1', readWrite);
    expect(pulled.status).toBe(200);
    expect(pulled.bytes.equals(image.manifest.bytes)).toBe(true);
    const elsewhere = await kit.request('GET', '/v2/other/web/tags/list', {
      authorization: readWrite,
    });
    expect(elsewhere.status).toBe(403);
    const tokenElsewhere = await kit.request('GET', '/v2/other/web/tags/list', {
      authorization: `Bearer ${body.token}`,
    });
    expect(tokenElsewhere.status).toBe(401);
    // A token lasts five minutes on the emulator's clock.
    now += 300_000;
    const stale = await kit.request('GET', '/v2/acme/web/tags/list', {
      authorization: `Bearer ${body.token}`,
    });
    expect(stale.status).toBe(401);
  });
});
