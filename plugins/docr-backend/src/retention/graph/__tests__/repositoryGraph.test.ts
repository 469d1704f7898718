import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import {
  DigitalOceanClient,
  RegistryHostClient,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryContents } from '../../../repositories/RepositoryCache';
import { closureOf } from '../closure';
import { ManifestFactsCache } from '../ManifestFactsCache';
import { readRepositoryGraph } from '../readRepositoryGraph';
import {
  attachmentTags,
  referencedUntaggedManifests,
  unresolvedTags,
} from '../retentionFacts';

const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';

describe("readRepositoryGraph against the emulator's registry host", () => {
  let emulator: DoEmulator;
  let api: DigitalOceanClient;
  let registryHost: RegistryHostClient;
  let push: ReturnType<typeof registryPusher>;

  beforeEach(async () => {
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme' }],
      },
    });
    api = new DigitalOceanClient({ token: 'test', apiUrl: emulator.url });
    registryHost = new RegistryHostClient({
      credentials: api,
      registryUrl: emulator.registryUrl,
      requestsPerSecond: 1000,
    });
    push = registryPusher(emulator, 'acme', 'web');
  });
  afterEach(() => emulator.stop());

  /** The repository as the backend has it: DigitalOcean's listing of its tags and manifests. */
  async function listing(): Promise<RepositoryContents> {
    return {
      name: 'web',
      tags: await api.listTags('acme', 'web'),
      manifests: await api.listManifests('acme', 'web'),
    };
  }

  it('builds the graph of multi-arch releases, a cosign signature, an SBOM referrer and a Helm chart', async () => {
    const v1 = await push.multiArch('v1', 'v1', ['linux/amd64', 'linux/arm64']);
    const v2 = await push.multiArch('v2', 'v2', ['linux/amd64', 'linux/arm64']);
    const signature = await push.image('v2-sig', {
      tag: `sha256-${v2.index.digest.slice(7)}.sig`,
      layerType: SIGNATURE_LAYER,
    });
    const sbom = await push.image('v2-sbom', {
      subject: v2.index,
      artifactType: 'application/spdx+json',
      layerType: 'application/spdx+json',
    });
    await push.image('chart', {
      tag: 'chart-1.0.0',
      configType: 'application/vnd.cncf.helm.config.v1+json',
    });
    await push.image('wasm', {
      tag: 'wasm',
      configType: 'application/vnd.wasm.config.v1+json',
    });

    const graph = await readRepositoryGraph({
      registry: 'acme',
      contents: await listing(),
      reader: registryHost,
      cache: new ManifestFactsCache(),
    });
    const kindOf = (digest: string) => graph.manifests.get(digest)?.kind;
    expect(
      [
        v1.index,
        v2.index,
        ...v2.children,
        signature.manifest,
        sbom.manifest,
      ].map(m => kindOf(m.digest)),
    ).toEqual(['index', 'index', 'image', 'image', 'signature', 'sbom']);
    expect(kindOf(graph.tags.get('chart-1.0.0')!)).toBe('helm-chart');
    expect(graph.manifests.get(v2.children[1].digest)!.parents).toEqual([
      { digest: v2.index.digest, platform: 'linux/arm64' },
    ]);
    expect(closureOf(graph, 'v2').manifests).toEqual(
      new Set(
        [v2.index, ...v2.children, signature.manifest, sbom.manifest].map(
          m => m.digest,
        ),
      ),
    );
    expect(new Set(referencedUntaggedManifests(graph).keys())).toEqual(
      new Set(
        [...v1.children, ...v2.children, sbom.manifest].map(m => m.digest),
      ),
    );
    expect(
      [...attachmentTags(graph).values()].map(a => [a.kind, a.subject]),
    ).toEqual([['signature', v2.index.digest]]);
    expect([...unresolvedTags(graph).keys()]).toEqual(['wasm']);
  });

  it('reads each manifest once: a re-read costs one GET per new digest only', async () => {
    await push.multiArch('v1', 'v1', ['linux/amd64', 'linux/arm64']);
    const cache = new ManifestFactsCache();
    const read = async () =>
      readRepositoryGraph({
        registry: 'acme',
        contents: await listing(),
        reader: registryHost,
        cache,
      });
    const first = await read();
    expect(first.manifests.size).toBe(3);
    expect(registryHost.callCounts().byKind.manifest).toBe(3);
    await read();
    expect(registryHost.callCounts().byKind.manifest).toBe(3);
    await push.image('v2', { tag: 'v2' });
    const third = await read();
    expect(third.manifests.size).toBe(4);
    expect(registryHost.callCounts().byKind.manifest).toBe(4);
  });

  it('marks a manifest the registry host cannot serve unreadable, and keeps its tag', async () => {
    await push.image('v1', { tag: 'v1' });
    const contents = await listing();
    const ghost = `sha256:${'0'.repeat(64)}`;
    contents.tags.push({ tag: 'ghost', manifest_digest: ghost });
    const graph = await readRepositoryGraph({
      registry: 'acme',
      contents,
      reader: registryHost,
      cache: new ManifestFactsCache(),
    });
    expect(graph.manifests.get(ghost)).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('404 MANIFEST_UNKNOWN'),
    });
    expect(unresolvedTags(graph).get('ghost')).toMatch(/^unreadable: /);
    expect(graph.manifests.get(graph.tags.get('v1')!)?.kind).toBe('image');
  });
});
