import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '../DigitalOceanClient';
import { RegistryHostClient } from '../registryHost/RegistryHostClient';
import type { RegistryHostClientOptions } from '../registryHost/options';
import { RegistryHostError } from '../registryHost/errors';
import { ManualClock } from '@backstage-docr/do-emulator';
import { capturingLogger } from './capturingLogger';

const START = Date.parse('2026-11-22T03:00:00Z');
const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';

describe("RegistryHostClient against the emulator's registry host", () => {
  let emulator: DoEmulator;
  let clock: ManualClock;
  let push: ReturnType<typeof registryPusher>;
  const logger = capturingLogger();

  beforeEach(async () => {
    logger.lines.length = 0;
    clock = new ManualClock(START);
    emulator = await DoEmulator.start({
      clock: clock.now,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }],
      },
    });
    push = registryPusher(emulator, 'acme', 'web');
  });
  afterEach(() => emulator.stop());

  /** The client with each call run on the test's clock: its pacing waits pass at once, in order. */
  function onClock(registry: RegistryHostClient): RegistryHostClient {
    return new Proxy(registry, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result = value.apply(target, args);
          return result instanceof Promise
            ? clock.passTimeUntil(result)
            : result;
        };
      },
    });
  }

  /** A client whose every request, credential and token the test sees; no real time passes. */
  function client(
    options: Partial<RegistryHostClientOptions> & {
      rewrite?: (
        url: URL,
        res: Response,
        headers: Headers,
      ) => Response | undefined;
    } = {},
  ) {
    const waits: number[] = [];
    const secrets: string[] = [];
    const asked: unknown[] = [];
    const requests: Array<{ url: URL; headers: Headers }> = [];
    const api = new DigitalOceanClient({ token: 'test', apiUrl: emulator.url });
    const fetchSeen: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      requests.push({ url, headers: new Headers(init?.headers) });
      const res = await fetch(input, init);
      if (url.pathname === '/v2/token' && res.ok)
        secrets.push(((await res.clone().json()) as { token: string }).token);
      return options.rewrite?.(url, res, new Headers(init?.headers)) ?? res;
    };
    const registry = new RegistryHostClient({
      credentials: {
        apiUrl: api.apiUrl,
        getDockerCredentials: async (name, credentialOptions) => {
          asked.push(credentialOptions);
          const issued = await api.getDockerCredentials(
            name,
            credentialOptions,
          );
          const auth = issued.auths!['registry.digitalocean.com']!.auth!;
          secrets.push(
            auth,
            ...Buffer.from(auth, 'base64').toString().split(':'),
          );
          return issued;
        },
      },
      registryUrl: emulator.registryUrl,
      logger,
      fetch: fetchSeen,
      clock: {
        now: clock.now,
        sleep: (ms, signal) => {
          waits.push(ms);
          return clock.sleep(ms, signal);
        },
      },
      ...options,
    });
    return { registry: onClock(registry), waits, secrets, requests, asked };
  }

  it('reads a manifest by tag with its media type, verified digest and document', async () => {
    const image = await push.image('one', { tag: 'v1' });
    const { registry, requests } = client();
    const manifest = await registry.getManifest('acme', 'web', 'v1');
    expect(manifest.digest).toBe(image.manifest.digest);
    expect(manifest.mediaType).toBe(
      'application/vnd.oci.image.manifest.v1+json',
    );
    expect(manifest.document).toEqual({
      kind: 'manifest',
      manifest: expect.objectContaining({
        config: image.config,
        layers: [image.layer],
      }),
    });
    const accept = requests
      .find(r => r.url.pathname.endsWith('/manifests/v1'))!
      .headers.get('accept');
    expect(accept?.split(', ').sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ]);
    expect((await registry.headManifest('acme', 'web', 'v1')).digest).toBe(
      image.manifest.digest,
    );
  });

  it('reads an index with its platforms', async () => {
    const amd = await push.image('amd');
    const arm = await push.image('arm');
    const index = await push.index('v2', [
      {
        manifest: amd.manifest,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        manifest: arm.manifest,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
    ]);
    const read = await client().registry.getManifest(
      'acme',
      'web',
      index.digest,
    );
    expect(read.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(
      read.document.kind === 'index' &&
        read.document.index.manifests.map(m => m.digest),
    ).toEqual([amd.manifest.digest, arm.manifest.digest]);
  });

  it('lists referrers of a subject and every tag, page by page', async () => {
    const image = await push.image('one', { tag: 'a' });
    const signature = await push.image('sig', {
      subject: image.manifest,
      layerType: SIGNATURE_LAYER,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    });
    for (const tag of ['b', 'c', 'd', 'e'])
      await push.manifest(
        {
          schemaVersion: 2,
          mediaType: image.manifest.mediaType,
          config: image.config,
          layers: [image.layer],
        },
        tag,
      );
    const { registry } = client();
    const referrers = await registry.listReferrers(
      'acme',
      'web',
      image.manifest.digest,
    );
    expect(referrers?.map(r => r.digest)).toEqual([signature.manifest.digest]);
    expect(await registry.listTags('acme', 'web', { pageSize: 2 })).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(registry.callCounts()).toEqual({
      total: 6,
      byKind: {
        ping: 1,
        token: 1,
        manifest: 0,
        headManifest: 0,
        referrers: 1,
        tags: 3,
      },
      rateLimited: 0,
    });
  });

  it('asks for read-only credentials of five minutes, and again before they expire', async () => {
    await push.image('one', { tag: 'v1' });
    const { registry, asked } = client();
    await registry.getManifest('acme', 'web', 'v1');
    await registry.getManifest('acme', 'web', 'v1');
    expect(asked).toEqual([{ readWrite: false, expirySeconds: 300 }]);
    // The token lasts 300 s (renewed 30 s early); the credentials are renewed with it.
    clock.advance(280_000);
    await registry.getManifest('acme', 'web', 'v1');
    expect(asked).toHaveLength(2);
    expect(registry.callCounts().byKind.token).toBe(2);
  });

  it('waits out a 429 as Retry-After says and counts it', async () => {
    await push.image('one', { tag: 'v1' });
    let refused = false;
    const { registry, waits } = client({
      rewrite: url => {
        if (refused || !url.pathname.endsWith('/manifests/v1'))
          return undefined;
        refused = true;
        return new Response(
          JSON.stringify({
            errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }],
          }),
          {
            status: 429,
            headers: { 'retry-after': '7' },
          },
        );
      },
    });
    await registry.getManifest('acme', 'web', 'v1');
    expect(waits).toContain(7_000);
    expect(registry.callCounts()).toMatchObject({
      rateLimited: 1,
      byKind: { manifest: 2 },
    });
    expect(
      logger.lines.some(l =>
        l.includes(
          'rate limit reached on GET /v2/acme/web/manifests/v1; waiting 7000 ms',
        ),
      ),
    ).toBe(true);
  });

  it('refuses bytes that do not hash to their digest', async () => {
    const image = await push.image('one', { tag: 'v1' });
    const other = await push.image('two');
    const { registry } = client({
      rewrite: (url, res) => {
        if (!url.pathname.endsWith('/manifests/v1')) return undefined;
        const headers = new Headers(res.headers);
        headers.set('docker-content-digest', other.manifest.digest);
        return new Response(res.body, { status: res.status, headers });
      },
    });
    await expect(
      registry.getManifest('acme', 'web', 'v1'),
    ).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining(
        `hash to ${image.manifest.digest}, not ${other.manifest.digest}`,
      ),
    });
  });

  it('sends no credentials to a token realm on another host', async () => {
    const { registry, requests, asked } = client({
      rewrite: url => {
        if (url.pathname !== '/v2/') return undefined;
        return new Response(null, {
          status: 401,
          headers: {
            'www-authenticate':
              'Bearer realm="https://collector.example/token",service="registry.digitalocean.com"',
          },
        });
      },
    });
    await expect(
      registry.getManifest('acme', 'web', 'v1'),
    ).rejects.toMatchObject({ code: 'UNTRUSTED_REALM' });
    expect(requests.map(r => r.url.host)).not.toContain('collector.example');
    expect(asked).toHaveLength(0);
  });

  it('never puts a credential or token in an error or a log line', async () => {
    await push.image('one', { tag: 'v1' });
    const echo = (status: number, text: string) =>
      new Response(
        JSON.stringify({ errors: [{ code: 'ECHO', message: text }] }),
        { status },
      );
    let failNextToken = false;
    const { registry, secrets } = client({
      maxRetries: 1,
      // A careless host that echoes what it was sent: the client must not pass it on.
      rewrite: (url, _res, headers) => {
        const sent = headers.get('authorization') ?? '';
        if (url.pathname.endsWith('/manifests/echo'))
          return echo(401, `refused ${sent}`);
        if (url.pathname.endsWith('/manifests/busy'))
          return echo(503, `busy ${sent}`);
        if (url.pathname === '/v2/token' && failNextToken) {
          const basic = sent.replace('Basic ', '');
          return echo(
            401,
            `bad ${basic} = ${Buffer.from(basic, 'base64').toString()}`,
          );
        }
        return undefined;
      },
    });
    await registry.getManifest('acme', 'web', 'v1');
    const errors: unknown[] = [];
    const failing = [
      () => registry.getManifest('acme', 'web', 'missing'),
      () => registry.listTags('acme', 'nope'),
      () => registry.getManifest('acme', 'web', 'echo'),
      () => registry.getManifest('acme', 'web', 'busy'),
      async () => {
        failNextToken = true;
        clock.advance(280_000);
        return registry.getManifest('acme', 'web', 'v1');
      },
    ];
    for (const call of failing) await call().catch(e => errors.push(e));
    expect(errors.map(e => (e as RegistryHostError).code)).toEqual([
      'MANIFEST_UNKNOWN',
      'NAME_UNKNOWN',
      'ECHO',
      'ECHO',
      'ECHO',
    ]);
    expect(
      logger.lines.some(l => l.includes('answered 503; retry 1 of 1')),
    ).toBe(true);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const said = [
      ...errors.map(e => `${(e as Error).message} ${JSON.stringify(e)}`),
      ...logger.lines,
    ].join('\n');
    for (const secret of secrets) expect(said).not.toContain(secret);
  });
});
