import { demoSeedPath } from '../demoSeed';
import { DoEmulator } from '../http/server';
import { loadSeedFile } from '../seed';
import { MEDIA_TYPES, registryKit } from './registryKit';

const STEP = 1_000;
const OCI_REPOSITORIES = ['gateway', 'payments', 'ledger', 'charts/gateway'];

describe('the demo seed’s OCI content in acme-prod', () => {
  let now: number;
  let emulator: DoEmulator;
  let kit: ReturnType<typeof registryKit>;
  let auth: string;

  beforeEach(async () => {
    now = Date.parse('2026-11-22T03:00:00Z');
    emulator = await DoEmulator.start({
      clock: () => now,
      gcStepMs: STEP,
      seed: loadSeedFile(demoSeedPath),
    });
    kit = registryKit(emulator);
    auth = await kit.credentials('acme-prod', false);
  });

  afterEach(() => emulator.stop());

  async function manifest(repository: string, reference: string) {
    const res = await kit.getManifest(
      `acme-prod/${repository}`,
      reference,
      auth,
    );
    expect(res.status).toBe(200);
    return {
      digest: res.headers.get('docker-content-digest')!,
      json: JSON.parse(res.bytes.toString()),
    };
  }

  async function tagsOf(repository: string): Promise<string[]> {
    const res = await kit.request(
      'GET',
      `/v2/acme-prod/${repository}/tags/list`,
      {
        authorization: auth,
      },
    );
    return (await res.json()).tags;
  }

  it('holds a multi-arch image: an OCI index tagged 1.4.0 and latest over untagged linux/amd64 and linux/arm64 manifests', async () => {
    const index = await manifest('gateway', '1.4.0');
    expect(index.json.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect((await manifest('gateway', 'latest')).digest).toBe(index.digest);
    expect(index.json.manifests.map((m: any) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
    ]);
    for (const child of index.json.manifests) {
      expect(
        (await manifest('gateway', child.digest)).json.layers,
      ).toHaveLength(3);
    }
    const listing = await kit.api(
      'GET',
      '/v2/registries/acme-prod/repositories/gateway/digests',
    );
    expect(
      listing.body.manifests.map((m: any) => m.tags.length).sort(),
    ).toEqual([0, 0, 2]);
  });

  it('holds a cosign-signed and attested image, an image with an SPDX referrer, and a Helm chart', async () => {
    const signed = await manifest('payments', '2.3.1');
    const hex = signed.digest.replace('sha256:', '');
    expect((await tagsOf('payments')).sort()).toEqual([
      '2.3.1',
      `sha256-${hex}.att`,
      `sha256-${hex}.sig`,
    ]);
    const sig = await manifest('payments', `sha256-${hex}.sig`);
    expect(sig.json.layers[0]).toMatchObject({
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      annotations: { 'dev.cosignproject.cosign/signature': expect.any(String) },
    });
    const att = await manifest('payments', `sha256-${hex}.att`);
    expect(att.json.layers[0].mediaType).toBe(
      'application/vnd.dsse.envelope.v1+json',
    );

    const image = await manifest('ledger', '0.9.0');
    const referrers = await kit.request(
      'GET',
      `/v2/acme-prod/ledger/referrers/${image.digest}`,
      { authorization: auth },
    );
    const [sbom] = (await referrers.json()).manifests;
    expect(sbom.artifactType).toBe('application/spdx+json');
    expect((await manifest('ledger', sbom.digest)).json.subject.digest).toBe(
      image.digest,
    );

    const chart = await manifest('charts/gateway', '1.4.0');
    expect(chart.json.config.mediaType).toBe(
      'application/vnd.cncf.helm.config.v1+json',
    );
    expect(chart.json.layers[0].mediaType).toBe(
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    );
  });

  it('generates the same digests at every start', async () => {
    const digestsOf = async () => {
      const seen: Record<string, string> = {};
      for (const repository of OCI_REPOSITORIES) {
        for (const tag of await tagsOf(repository))
          seen[`${repository}:${tag}`] = (
            await manifest(repository, tag)
          ).digest;
      }
      return seen;
    };
    const first = await digestsOf();
    expect(Object.keys(first)).toHaveLength(7);
    await emulator.stop();
    emulator = await DoEmulator.start({ seed: loadSeedFile(demoSeedPath) });
    kit = registryKit(emulator);
    auth = await kit.credentials('acme-prod', false);
    expect(await digestsOf()).toEqual(first);
  });

  it('keeps the platform manifests and the SBOM through a GC of untagged manifests, freeing only the re-pushed worker images', async () => {
    const before = emulator.account.getRegistry('acme-prod').storage;
    const counts = () =>
      Object.fromEntries(
        [...before.repositories.values()].map(r => [r.name, r.manifests.size]),
      );
    const kept = counts();
    const started = await kit.api(
      'POST',
      '/v2/registries/acme-prod/garbage-collection',
      {
        type: 'untagged manifests and unreferenced blobs',
      },
    );
    expect(started.status).toBe(201);
    now += 4 * STEP;
    const [gc] = (
      await kit.api('GET', '/v2/registries/acme-prod/garbage-collections')
    ).body.garbage_collections;
    expect(gc.status).toBe('succeeded');
    expect(counts()).toEqual({ ...kept, worker: 1 });
    expect(kept.gateway).toBe(3);
    expect(kept.ledger).toBe(2);
  });
});
