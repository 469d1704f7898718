import { RegistryHostError } from '@backstage-docr/plugin-docr-node';
import { ManifestFactsCache } from './ManifestFactsCache';
import { readRepositoryGraph } from './readRepositoryGraph';
import { RepositoryGraphs } from './RepositoryGraphs';
import { digestOf, testRepository } from './testGraph';

const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const hexOf = (key: string) => digestOf(key).slice('sha256:'.length);

describe('readRepositoryGraph', () => {
  it('links a multi-arch tag to its platforms, with their configs and layers', async () => {
    const repo = testRepository();
    repo.image('amd64');
    repo.image('arm64');
    repo.index('v1', { 'linux/amd64': 'amd64', 'linux/arm64/v8': 'arm64' });
    repo.list(['v1', 'amd64', 'arm64'], { v1: 'v1' });
    const graph = await repo.read();
    const index = graph.manifests.get(digestOf('v1'))!;
    expect(index.kind).toBe('index');
    expect(index.tags).toEqual(['v1']);
    expect(index.facts?.children.map(c => c.platform)).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
    ]);
    const arm = graph.manifests.get(digestOf('arm64'))!;
    expect(arm.kind).toBe('image');
    expect(arm.parents).toEqual([
      { digest: digestOf('v1'), platform: 'linux/arm64/v8' },
    ]);
    expect(arm.facts?.layers.map(l => l.digest)).toEqual([
      digestOf('arm64/layer'),
    ]);
  });

  it('reads the children of an index that DigitalOcean did not list', async () => {
    const repo = testRepository();
    repo.image('amd64');
    repo.index('v1', { 'linux/amd64': 'amd64' });
    repo.list(['v1'], { v1: 'v1' });
    const graph = await repo.read();
    expect(graph.manifests.get(digestOf('amd64'))?.kind).toBe('image');
  });

  it('tells cosign signatures, attestations and SBOMs by tag scheme and layers', async () => {
    const repo = testRepository();
    repo.image('app');
    repo.image('sig', { layerType: SIGNATURE_LAYER });
    repo.image('att', { layerType: 'application/vnd.dsse.envelope.v1+json' });
    repo.image('sbom', { layerType: 'text/spdx+json' });
    repo.image('fake-sig');
    repo.list(['app', 'sig', 'att', 'sbom', 'fake-sig'], {
      latest: 'app',
      [`sha256-${hexOf('app')}.sig`]: 'sig',
      [`sha256-${hexOf('app')}.att`]: 'att',
      [`sha256-${hexOf('app')}.sbom`]: 'sbom',
      [`sha256-${hexOf('other')}.sig`]: 'fake-sig',
    });
    const graph = await repo.read();
    const of = (key: string) => graph.manifests.get(digestOf(key))!;
    expect([of('sig').kind, of('att').kind, of('sbom').kind]).toEqual([
      'signature',
      'attestation',
      'sbom',
    ]);
    expect(of('sig').subject).toEqual({
      digest: digestOf('app'),
      source: 'cosign-tag',
    });
    expect(of('app').referrers.sort()).toEqual(
      [digestOf('sig'), digestOf('att'), digestOf('sbom')].sort(),
    );
    expect(of('fake-sig').kind).toBe('unknown');
    expect(of('fake-sig').reason).toMatch(
      /tagged as a cosign signature .* but its layers are not one/,
    );
  });

  it('tells OCI referrers by subject and Helm charts by config media type; an attached artifact of another type is unknown', async () => {
    const repo = testRepository();
    repo.image('app');
    repo.image('notation', {
      subject: 'app',
      artifactType: 'application/vnd.cncf.notary.signature',
    });
    repo.image('scan', {
      subject: 'app',
      artifactType: 'application/vnd.example.scan+json',
    });
    repo.image('chart', { config: 'application/vnd.cncf.helm.config.v1+json' });
    repo.image('wasm', { config: 'application/vnd.wasm.config.v1+json' });
    repo.list(['app', 'notation', 'scan', 'chart', 'wasm'], {
      v1: 'app',
      chart: 'chart',
      wasm: 'wasm',
    });
    const graph = await repo.read();
    const kindOf = (key: string) => graph.manifests.get(digestOf(key))!.kind;
    expect(['notation', 'scan', 'chart', 'wasm'].map(kindOf)).toEqual([
      'signature',
      'unknown',
      'helm-chart',
      'unknown',
    ]);
    expect(graph.manifests.get(digestOf('scan'))!.reason).toMatch(
      /artifact of type application\/vnd.example.scan\+json attached to .*, not a signature, attestation or SBOM/,
    );
    expect(graph.manifests.get(digestOf('scan'))!.subject).toEqual({
      digest: digestOf('app'),
      source: 'subject',
    });
  });

  it('marks a manifest that cannot be read unreadable, with the reason', async () => {
    const repo = testRepository();
    repo.image('gone');
    repo.cannotRead('gone');
    repo.list(['gone'], { old: 'gone' });
    const graph = await repo.read();
    const gone = graph.manifests.get(digestOf('gone'))!;
    expect(gone.kind).toBe('unreadable');
    expect(gone.reason).toMatch(/404 MANIFEST_UNKNOWN/);
    expect(gone.facts).toBeUndefined();
  });

  it('reads each digest once across re-reads, and again only when new', async () => {
    const repo = testRepository();
    repo.image('a');
    repo.image('b');
    repo.list(['a'], { a: 'a' });
    const cache = new ManifestFactsCache();
    await repo.read(cache);
    await repo.read(cache);
    repo.list(['b'], { b: 'b' });
    await repo.read(cache);
    expect(repo.reads).toEqual([digestOf('a'), digestOf('b')]);
  });
});

describe('readRepositoryGraph when the registry host fails', () => {
  it('stops asking after an error that is not about one manifest, marking the rest unreadable', async () => {
    const repo = testRepository();
    const keys = Array.from({ length: 30 }, (_, i) => `image-${i}`);
    keys.forEach(key => repo.image(key));
    repo.list(keys, Object.fromEntries(keys.map(key => [key, key])));
    let asked = 0;
    const graph = await readRepositoryGraph({
      registry: 'acme',
      contents: repo.contents,
      cache: new ManifestFactsCache(),
      reader: {
        getManifest: async () => {
          asked++;
          throw new RegistryHostError({
            operation: 'GET /v2/',
            status: 401,
            code: 'UNAUTHORIZED',
            message: 'credentials refused',
          });
        },
      },
    });
    const reasons = [...graph.manifests.values()].map(m => [m.kind, m.reason]);
    expect(reasons).toHaveLength(30);
    expect(asked).toBeLessThanOrEqual(8);
    expect(
      reasons.filter(([, reason]) => reason?.startsWith('not read: ')),
    ).toHaveLength(30 - asked);
    expect(new Set(reasons.map(([kind]) => kind))).toEqual(
      new Set(['unreadable']),
    );
  });
});

describe('RepositoryGraphs', () => {
  it("reads each repository of a registry through the account's reader, sharing one cache", async () => {
    const web = testRepository('web');
    web.image('base');
    web.list(['base'], { v1: 'base' });
    const api = testRepository('api');
    api.image('base');
    api.list(['base'], { v1: 'base' });
    const accounts: string[] = [];
    const graphs = new RepositoryGraphs({
      registryHost: account => {
        accounts.push(account);
        return web.reader();
      },
    });
    const read = await graphs.readRegistry('team-b', 'acme', [
      web.contents,
      api.contents,
    ]);
    expect([...read.keys()]).toEqual(['web', 'api']);
    expect(read.get('api')?.manifests.get(digestOf('base'))?.kind).toBe(
      'image',
    );
    expect(accounts).toEqual(['team-b']);
    expect(web.reads).toEqual([digestOf('base')]);
  });
});
