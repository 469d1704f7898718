import { DoEmulator } from '../http/server';
import { sha256Digest } from '../model/registryStorage';
import { caller } from './http';

// Sizes are small and exact so the freed bytes can be asserted to the byte. A manifest document
// counts 1,024 bytes, as the emulator stores it.
const MANIFEST = 1024;
const base = { digest: sha256Digest('base'), size: 100_000 };
const v1 = { digest: sha256Digest('v1'), size: 5_000 };
const v2 = { digest: sha256Digest('v2'), size: 7_000 };
const STEP = 1_000;

describe('emulator storage model and garbage collection', () => {
  let now: number;
  let emulator: DoEmulator;
  let call: ReturnType<typeof caller>;

  beforeEach(async () => {
    now = Date.parse('2026-11-22T03:00:00Z');
    emulator = await DoEmulator.start({
      clock: () => now,
      gcStepMs: STEP,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme', region: 'fra1' }],
      },
    });
    call = caller(emulator);
  });

  afterEach(() => emulator.stop());

  async function storage(): Promise<number> {
    const { body } = await call('GET', '/v2/registries/acme');
    return body.registry.storage_usage_bytes;
  }

  async function pushTwice() {
    const first = await call('POST', '/_emulator/registries/acme/push', {
      repository: 'web',
      tag: 'latest',
      layers: [base, v1],
    });
    expect(first.status).toBe(201);
    expect(await storage()).toBe(base.size + v1.size + MANIFEST);
    const second = await call('POST', '/_emulator/registries/acme/push', {
      repository: 'web',
      tag: 'latest',
      layers: [base, v2],
    });
    expect(second.body.untaggedDigest).toBe(first.body.digest);
    // The re-push stored the new layer and manifest; the old manifest stays, untagged.
    expect(await storage()).toBe(base.size + v1.size + v2.size + 2 * MANIFEST);
    const manifests = await call(
      'GET',
      '/v2/registries/acme/repositories/web/digests',
    );
    expect(manifests.body.manifests).toHaveLength(2);
    expect(manifests.body.manifests.map((m: any) => m.tags)).toEqual([
      ['latest'],
      [],
    ]);
  }

  async function runGcToEnd(type?: string) {
    const started = await call(
      'POST',
      '/v2/registries/acme/garbage-collection',
      type ? { type } : undefined,
    );
    expect(started.status).toBe(201);
    expect(started.body.garbage_collection.status).toBe('requested');
    const seen: string[] = [];
    for (let step = 0; step <= 4; step++) {
      const active = await call(
        'GET',
        '/v2/registries/acme/garbage-collection',
      );
      if (active.status === 404) break;
      seen.push(active.body.garbage_collection.status);
      now += STEP;
    }
    const [last] = (
      await call('GET', '/v2/registries/acme/garbage-collections')
    ).body.garbage_collections;
    expect(last.uuid).toBe(started.body.garbage_collection.uuid);
    return { seen, last };
  }

  it('walks the statuses and frees exactly the untagged manifests and their layers', async () => {
    await pushTwice();
    const { seen, last } = await runGcToEnd(
      'untagged manifests and unreferenced blobs',
    );
    expect(seen).toEqual([
      'requested',
      'waiting for write JWTs to expire',
      'scanning manifests',
      'deleting unreferenced blobs',
    ]);
    expect(last.status).toBe('succeeded');
    expect(last.blobs_deleted).toBe(2); // the old manifest and its own layer
    expect(last.freed_bytes).toBe(MANIFEST + v1.size);
    expect(await storage()).toBe(base.size + v2.size + MANIFEST);
    const registry = await call('GET', '/v2/registries/acme');
    expect(registry.body.registry.storage_usage_bytes_updated_at).toBe(
      last.updated_at,
    );
  });

  it('frees only the manifest with "untagged manifests only", leaving its layer for a later blob run', async () => {
    await pushTwice();
    const manifestsRun = await runGcToEnd('untagged manifests only');
    expect(manifestsRun.last).toMatchObject({
      status: 'succeeded',
      blobs_deleted: 1,
      freed_bytes: MANIFEST,
    });
    expect(await storage()).toBe(base.size + v1.size + v2.size + MANIFEST);
    const blobsRun = await runGcToEnd('unreferenced blobs only');
    expect(blobsRun.last).toMatchObject({
      blobs_deleted: 1,
      freed_bytes: v1.size,
    });
    expect(await storage()).toBe(base.size + v2.size + MANIFEST);
  });

  it('frees nothing with "unreferenced blobs only" while the untagged manifest still references its layer', async () => {
    await pushTwice();
    const { last } = await runGcToEnd('unreferenced blobs only');
    expect(last).toMatchObject({
      status: 'succeeded',
      blobs_deleted: 0,
      freed_bytes: 0,
    });
    expect(await storage()).toBe(base.size + v1.size + v2.size + 2 * MANIFEST);
  });

  it('collects blobs only when no type is given, as DigitalOcean does', async () => {
    await pushTwice();
    const { last } = await runGcToEnd();
    expect(last).toMatchObject({ status: 'succeeded', freed_bytes: 0 });
  });

  it('keeps the registry read-only while a collection runs', async () => {
    await pushTwice();
    await call('POST', '/v2/registries/acme/garbage-collection', {
      type: 'untagged manifests only',
    });
    const refused = await call('POST', '/_emulator/registries/acme/push', {
      repository: 'web',
      tag: 'v3',
      layers: [base],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('read-only');
    const deleteTag = await call(
      'DELETE',
      '/v2/registries/acme/repositories/web/tags/latest',
    );
    expect(deleteTag.status).toBe(409);
    expect(() => emulator.push('acme', 'web', 'v3', [base])).toThrow(
      /read-only/,
    );
    now += 4 * STEP;
    const accepted = await call('POST', '/_emulator/registries/acme/push', {
      repository: 'web',
      tag: 'v3',
      layers: [base],
    });
    expect(accepted.status).toBe(201);
  });

  it('allows one active collection per registry', async () => {
    const first = await call('POST', '/v2/registries/acme/garbage-collection', {
      type: 'unreferenced blobs only',
    });
    expect(first.status).toBe(201);
    const second = await call(
      'POST',
      '/v2/registries/acme/garbage-collection',
      { type: 'unreferenced blobs only' },
    );
    expect(second.status).toBe(409);
    expect(second.body.id).toBe('conflict');
    expect(second.body.message).toContain(first.body.garbage_collection.uuid);
  });

  it('cancels a run mid-way: nothing freed, writable again', async () => {
    await pushTwice();
    const before = await storage();
    const started = await call(
      'POST',
      '/v2/registries/acme/garbage-collection',
      { type: 'untagged manifests and unreferenced blobs' },
    );
    const uuid = started.body.garbage_collection.uuid;
    now += STEP * 2.5;
    const cancelling = await call(
      'PUT',
      `/v2/registries/acme/garbage-collection/${uuid}`,
      { cancel: true },
    );
    expect(cancelling.status).toBe(200);
    expect(cancelling.body.garbage_collection.status).toBe('cancelling');
    expect(
      (
        await call('POST', '/_emulator/registries/acme/push', {
          repository: 'web',
          tag: 'x',
          layers: [base],
        })
      ).status,
    ).toBe(409);
    now += STEP;
    const [run] = (await call('GET', '/v2/registries/acme/garbage-collections'))
      .body.garbage_collections;
    expect(run).toMatchObject({
      uuid,
      status: 'cancelled',
      freed_bytes: 0,
      blobs_deleted: 0,
    });
    expect(await storage()).toBe(before);
    expect(
      (await call('GET', '/v2/registries/acme/garbage-collection')).status,
    ).toBe(404);
    const again = await call(
      'PUT',
      `/v2/registries/acme/garbage-collection/${uuid}`,
      { cancel: true },
    );
    expect(again.status).toBe(412);
    expect(
      (
        await call('POST', '/_emulator/registries/acme/push', {
          repository: 'web',
          tag: 'x',
          layers: [base],
        })
      ).status,
    ).toBe(201);
  });

  it('can make a run fail, freeing nothing', async () => {
    await pushTwice();
    await call('POST', '/_emulator/gc/fail-next', { count: 1 });
    const { last } = await runGcToEnd(
      'untagged manifests and unreferenced blobs',
    );
    expect(last).toMatchObject({ status: 'failed', freed_bytes: 0 });
    expect(await storage()).toBe(base.size + v1.size + v2.size + 2 * MANIFEST);
  });

  it('de-duplicates layers shared between repositories', async () => {
    emulator.push('acme', 'web', 'latest', [base, v1]);
    emulator.push('acme', 'api', 'latest', [base, v2]);
    expect(await storage()).toBe(base.size + v1.size + v2.size + 2 * MANIFEST);
    const repos = await call('GET', '/v2/registries/acme/repositoriesV2');
    expect(
      repos.body.repositories.map((r: any) => [
        r.name,
        r.tag_count,
        r.manifest_count,
      ]),
    ).toEqual([
      ['api', 1, 1],
      ['web', 1, 1],
    ]);
  });

  it('moves storage when tags and manifests are deleted and collected', async () => {
    await pushTwice();
    const del = await call(
      'DELETE',
      '/v2/registries/acme/repositories/web/tags/latest',
    );
    expect(del.status).toBe(204);
    const { last } = await runGcToEnd(
      'untagged manifests and unreferenced blobs',
    );
    expect(last.freed_bytes).toBe(base.size + v1.size + v2.size + 2 * MANIFEST);
    expect(await storage()).toBe(0);
  });
});
