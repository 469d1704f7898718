import { closureOf, closureOfTags } from './closure';
import {
  attachmentTags,
  decideAttachmentTags,
  deletedWithTags,
  referencedUntaggedManifests,
  standaloneUntaggedManifests,
  unresolvedTags,
} from './retentionFacts';
import { digestOf, testRepository } from './testGraph';

const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const sigTag = (key: string) => `sha256-${digestOf(key).slice(7)}.sig`;
const digests = (...keys: string[]) => new Set(keys.map(digestOf));

/** Two multi-arch releases sharing the amd64 image; v2 signed by cosign and by an OCI referrer. */
async function releases() {
  const repo = testRepository();
  repo.image('amd64', { layers: ['base', 'amd64/app'] });
  repo.image('arm64-v1', { layers: ['base-arm', 'arm64-v1/app'] });
  repo.image('arm64-v2', { layers: ['base-arm', 'arm64-v2/app'] });
  repo.index('v1', { 'linux/amd64': 'amd64', 'linux/arm64': 'arm64-v1' });
  repo.index('v2', { 'linux/amd64': 'amd64', 'linux/arm64': 'arm64-v2' });
  repo.image('v2-sig', { layerType: SIGNATURE_LAYER });
  repo.image('v2-sbom', {
    subject: 'v2',
    artifactType: 'application/spdx+json',
  });
  repo.image('sbom-sig', {
    subject: 'v2-sbom',
    artifactType: 'application/vnd.cncf.notary.signature',
  });
  repo.image('lonely');
  repo.list(
    [
      'v1',
      'v2',
      'amd64',
      'arm64-v1',
      'arm64-v2',
      'v2-sig',
      'v2-sbom',
      'sbom-sig',
      'lonely',
    ],
    { v1: 'v1', v2: 'v2', [sigTag('v2')]: 'v2-sig' },
  );
  return repo.read();
}

describe('closureOf', () => {
  it("holds a tag's index, platforms, their blobs and its attachments, transitively", async () => {
    const graph = await releases();
    const closure = closureOf(graph, 'v2');
    expect(closure.manifests).toEqual(
      digests('v2', 'amd64', 'arm64-v2', 'v2-sig', 'v2-sbom', 'sbom-sig'),
    );
    for (const blob of [
      'base',
      'amd64/app',
      'base-arm',
      'arm64-v2/app',
      'amd64/config',
    ])
      expect(closure.blobs.has(digestOf(blob))).toBe(true);
    expect(closure.blobs.has(digestOf('arm64-v1/app'))).toBe(false);
  });

  it('is empty for a tag the repository does not have', async () => {
    const graph = await releases();
    expect(closureOf(graph, 'nope').manifests.size).toBe(0);
  });
});

describe('retention facts of a graph', () => {
  it('never calls a platform or an attachment untagged', async () => {
    const graph = await releases();
    const referenced = referencedUntaggedManifests(graph);
    expect(new Set(referenced.keys())).toEqual(
      digests('amd64', 'arm64-v1', 'arm64-v2', 'v2-sbom', 'sbom-sig'),
    );
    expect(referenced.get(digestOf('arm64-v1'))).toMatch(
      /^listed by index sha256:.* \(linux\/arm64\)$/,
    );
    expect(referenced.get(digestOf('v2-sbom'))).toMatch(/^sbom of sha256:/);
    expect(referenced.has(digestOf('lonely'))).toBe(false);
  });

  it('leaves untagged-manifest rules only what stands alone', async () => {
    const graph = await releases();
    expect(standaloneUntaggedManifests(graph).map(m => m.digest)).toEqual([
      digestOf('lonely'),
    ]);
  });

  it('takes an index tagged by the referrers tag schema as an attachment of its subject', async () => {
    const repo = testRepository();
    repo.image('app');
    repo.image('scan', {
      subject: 'app',
      artifactType: 'application/vnd.example.scan+json',
    });
    repo.index('referrers', { 'unknown/unknown': 'scan' });
    repo.list(['app', 'scan', 'referrers'], {
      v1: 'app',
      [`sha256-${digestOf('app').slice(7)}`]: 'referrers',
    });
    const graph = await repo.read();
    expect(
      [...attachmentTags(graph).values()].map(a => [a.kind, a.subject]),
    ).toEqual([['index', digestOf('app')]]);
    expect(closureOf(graph, 'v1').manifests).toEqual(
      digests('app', 'scan', 'referrers'),
    );
  });

  it('names cosign tags as attachments of their subject', async () => {
    const graph = await releases();
    expect([...attachmentTags(graph).values()]).toEqual([
      {
        tag: sigTag('v2'),
        digest: digestOf('v2-sig'),
        kind: 'signature',
        subject: digestOf('v2'),
      },
    ]);
  });

  it('keeps an attachment tag while its subject is kept and deletes it with it', async () => {
    const graph = await releases();
    const keptV2 = decideAttachmentTags(
      graph,
      closureOfTags(graph, ['v2']).manifests,
    );
    expect(keptV2.map(d => [d.action, d.reason])).toEqual([
      ['keep', expect.stringMatching(/^its subject sha256:.* is kept$/)],
    ]);
    const keptV1 = decideAttachmentTags(
      graph,
      closureOfTags(graph, ['v1']).manifests,
    );
    expect(keptV1.map(d => d.action)).toEqual(['delete']);
  });

  it('keeps an attachment whose subject is not in the repository', async () => {
    const repo = testRepository();
    repo.image('sig', { layerType: SIGNATURE_LAYER });
    repo.list(['sig'], { [sigTag('elsewhere')]: 'sig' });
    const graph = await repo.read();
    expect(
      decideAttachmentTags(graph, new Set()).map(d => [d.action, d.reason]),
    ).toEqual([['keep', expect.stringMatching(/is not in this repository$/)]]);
  });

  it('deletes with a tag only what no kept tag holds', async () => {
    const graph = await releases();
    const deleted = deletedWithTags(graph, new Set(['v1']));
    expect(deleted.manifests).toEqual(digests('v1', 'arm64-v1'));
    expect(deleted.blobs.has(digestOf('arm64-v1/app'))).toBe(true);
    expect(deleted.blobs.has(digestOf('base-arm'))).toBe(false);
    expect(deleted.blobs.has(digestOf('base'))).toBe(false);
  });

  it("deletes a signed release with its signature, SBOM and the SBOM's signature", async () => {
    const graph = await releases();
    const deleted = deletedWithTags(graph, new Set(['v2', sigTag('v2')]));
    expect(deleted.manifests).toEqual(
      digests('v2', 'arm64-v2', 'v2-sig', 'v2-sbom', 'sbom-sig'),
    );
  });

  it('keeps tags on unknown or unreadable manifests, and on images with an unreadable platform', async () => {
    const repo = testRepository();
    repo.image('wasm', { config: 'application/vnd.wasm.config.v1+json' });
    repo.image('amd64');
    repo.index('v1', {
      'linux/amd64': 'amd64',
      'linux/arm64': 'arm64-missing',
    });
    repo.list(['wasm', 'v1', 'amd64'], { wasm: 'wasm', v1: 'v1' });
    const graph = await repo.read();
    const kept = unresolvedTags(graph);
    expect(kept.get('wasm')).toMatch(
      /^unknown: artifact of type application\/vnd.wasm.config.v1\+json/,
    );
    expect(kept.get('v1')).toMatch(
      /of its image is unreadable: unreadable: .*MANIFEST_UNKNOWN/,
    );
  });
});
