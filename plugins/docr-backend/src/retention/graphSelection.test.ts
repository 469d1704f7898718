import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import { digestOf, testRepository } from './graph/testGraph';
import { selectRetention } from './selection';

const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const ATTESTATION_LAYER = 'application/vnd.dsse.envelope.v1+json';
const cosignTag = (key: string, suffix: string) =>
  `sha256-${digestOf(key).slice(7)}.${suffix}`;
const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) =>
  new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** keep 1 newest, delete tags older than a day, untagged manifests older than zero. */
const AGGRESSIVE: RetentionRule[] = [
  { keepNewest: 1, deleteOlderThan: 'P1D', untaggedManifestsOlderThan: 'PT0S' },
];

/**
 * Three multi-arch releases (v3 newest) sharing an amd64 base, each signed and attested by
 * cosign's tags; v1 has an SBOM referrer by subject; an old untagged image and an unknown
 * artifact tagged `odd`; every push time days ago so that the rules date them all.
 */
function releases() {
  const repo = testRepository('gateway');
  const keys: string[] = [];
  const tags: Record<string, string> = {};
  for (const version of ['v1', 'v2', 'v3']) {
    repo.image(`${version}-amd64`, { layers: ['base', `${version}/amd`] });
    repo.image(`${version}-arm64`, { layers: ['base-arm', `${version}/arm`] });
    repo.index(version, {
      'linux/amd64': `${version}-amd64`,
      'linux/arm64/v8': `${version}-arm64`,
    });
    repo.image(`${version}-sig`, { layerType: SIGNATURE_LAYER });
    repo.image(`${version}-att`, { layerType: ATTESTATION_LAYER });
    keys.push(
      version,
      `${version}-amd64`,
      `${version}-arm64`,
      `${version}-sig`,
      `${version}-att`,
    );
    tags[version] = version;
    tags[cosignTag(version, 'sig')] = `${version}-sig`;
    tags[cosignTag(version, 'att')] = `${version}-att`;
  }
  repo.image('v1-sbom', {
    subject: 'v1',
    artifactType: 'application/spdx+json',
  });
  repo.image('old-untagged');
  repo.image('odd', { config: 'application/vnd.example.unknown+json' });
  repo.list([...keys, 'v1-sbom', 'old-untagged', 'odd'], {
    ...tags,
    odd: 'odd',
  });
  const age: Record<string, number> = { v1: 30, v2: 20, v3: 10 };
  for (const tag of repo.contents.tags) {
    const version = Object.keys(age).find(
      v =>
        tag.manifest_digest === digestOf(v) ||
        tag.tag?.includes(digestOf(v).slice(7)),
    );
    tag.updated_at = daysAgo(version ? age[version] : 40);
  }
  // Signatures pushed after their image: newer than every release but v3.
  for (const tag of repo.contents.tags)
    if (tag.tag?.startsWith('sha256-')) tag.updated_at = daysAgo(5);
  for (const manifest of repo.contents.manifests)
    manifest.updated_at = daysAgo(40);
  return repo;
}

async function select(rules = AGGRESSIVE) {
  const repo = releases();
  const graph = await repo.read();
  const selection = selectRetention(
    [repo.contents],
    rules,
    NOW,
    new Map([['gateway', graph]]),
  );
  const action = (tag: string) =>
    selection.decisions.find(d => d.tag.tag === tag)?.action;
  return { repo, graph, selection, action };
}

describe('selectRetention on image graphs', () => {
  it('ranks only images: signatures and attestations take no keepNewest place', async () => {
    const { action } = await select();
    expect(action('v3')).toBe('keep');
    expect(action('v2')).toBe('delete');
    expect(action('v1')).toBe('delete');
  });

  it('keeps the attachments of a kept image and deletes those of a deleted one with it', async () => {
    const { selection } = await select();
    const of = (tag: string) =>
      selection.decisions.find(d => d.tag.tag === tag)!;
    expect(of(cosignTag('v3', 'sig'))).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'attachment', subjectTag: 'v3', follows: 'kept' }],
    });
    expect(of(cosignTag('v3', 'att')).action).toBe('keep');
    expect(of(cosignTag('v2', 'sig'))).toMatchObject({
      action: 'delete',
      reasons: [
        {
          kind: 'attachment',
          subjectDigest: digestOf('v2'),
          follows: 'deleted',
        },
      ],
      tag: { rule: 0 },
    });
    expect(of(cosignTag('v1', 'att')).action).toBe('delete');
  });

  it('never selects the platform manifests of an index, kept or deleted: they go with it', async () => {
    const { selection } = await select();
    const untagged = selection.untagged.map(u => u.manifest.digest);
    expect(untagged).toEqual([digestOf('old-untagged')]);
    const kept = selection.graph!.untaggedKept.map(k => k.manifest.digest);
    expect(kept).toEqual(
      expect.arrayContaining([
        digestOf('v3-amd64'),
        digestOf('v3-arm64'),
        digestOf('v1-amd64'),
      ]),
    );
  });

  it('deletes the untagged referrer of a deleted subject by digest, with its subject', async () => {
    const { selection } = await select();
    expect(selection.graph!.referrers).toEqual([
      expect.objectContaining({
        manifest: expect.objectContaining({ digest: digestOf('v1-sbom') }),
        subjectTag: 'v1',
        rule: 0,
      }),
    ]);
  });

  it("estimates the bytes freed from whole closures: a deleted index's platforms and attachments, never a blob a kept image shares", async () => {
    const { selection } = await select();
    // v1 and v2: 2 platform images, a signature and an attestation each, v1's SBOM; the old
    // untagged image: a config and a layer of 100 bytes each; the base layers are v3's too.
    expect(selection.freed.total).toBe(100 * 2 * (4 + 4 + 1 + 1));
  });

  it('keeps an artifact of unknown type, saying why', async () => {
    const { selection } = await select();
    expect(selection.decisions.find(d => d.tag.tag === 'odd')).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'unknownType' }],
    });
  });

  it('keeps an artifact of unknown type attached to a deleted subject, tagged or not', async () => {
    const repo = releases();
    const scan = {
      subject: 'v1',
      artifactType: 'application/vnd.example.scan',
    };
    repo.image('v1-scan', scan);
    repo.image('v1-scan-untagged', { ...scan, layers: ['other'] });
    repo.list(['v1-scan', 'v1-scan-untagged'], { 'scan-v1': 'v1-scan' });
    const selection = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map([['gateway', await repo.read()]]),
    );
    expect(selection.decisions.find(d => d.tag.tag === 'v1')?.action).toBe(
      'delete',
    );
    expect(
      selection.decisions.find(d => d.tag.tag === 'scan-v1'),
    ).toMatchObject({ action: 'keep', reasons: [{ kind: 'unknownType' }] });
    expect(
      selection.graph!.referrers.map(r => r.manifest.digest),
    ).not.toContain(digestOf('v1-scan-untagged'));
  });

  it("shows each tag's closure: its platforms and attachments", async () => {
    const { selection } = await select();
    const closure = selection.graph!.closures.get('gateway\nv1')!;
    expect(closure.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(closure.attachments).toEqual(
      expect.arrayContaining([
        {
          kind: 'signature',
          tag: cosignTag('v1', 'sig'),
          digest: digestOf('v1-sig'),
        },
        {
          kind: 'attestation',
          tag: cosignTag('v1', 'att'),
          digest: digestOf('v1-att'),
        },
        { kind: 'sbom', digest: digestOf('v1-sbom') },
      ]),
    );
  });

  it('keeps a tag whose image has an unreadable platform manifest', async () => {
    const repo = releases();
    repo.cannotRead('v1-arm64');
    const graph = await repo.read();
    const { decisions } = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map([['gateway', graph]]),
    );
    expect(decisions.find(d => d.tag.tag === 'v1')).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'unreadable' }],
    });
    expect(
      decisions.find(d => d.tag.tag === cosignTag('v1', 'sig')),
    ).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'attachment', follows: 'kept' }],
    });
  });

  it('selects no untagged manifest of a repository with an unreadable index: its platforms look standalone but its tag is kept', async () => {
    const repo = releases();
    repo.cannotRead('v2');
    const graph = await repo.read();
    const selection = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map([['gateway', graph]]),
    );
    expect(selection.decisions.find(d => d.tag.tag === 'v2')).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'unreadable' }],
    });
    expect(selection.untagged).toEqual([]);
    const kept = new Map(
      selection.graph!.untaggedKept.map(k => [k.manifest.digest, k.reason]),
    );
    for (const platform of ['v2-amd64', 'v2-arm64', 'old-untagged'])
      expect(kept.get(digestOf(platform))).toMatch(
        /is unreadable: what it lists cannot be known/,
      );
  });

  it('deletes nothing of a repository whose graph could not be read, saying why', async () => {
    const repo = releases();
    const selection = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map([
        [
          'gateway',
          { unreadable: 'the registry host refused the credentials' },
        ],
      ]),
    );
    expect(selection.decisions.every(d => d.action === 'keep')).toBe(true);
    expect(selection.untagged).toEqual([]);
    expect(selection.graph!.unreadable.get('gateway')).toBe(
      'the registry host refused the credentials',
    );
    expect(selection.decisions[0].reasons).toEqual([
      {
        kind: 'unreadable',
        reason: 'the registry host refused the credentials',
      },
    ]);
  });

  it('keeps everything of a repository whose graph is missing', async () => {
    const repo = releases();
    const selection = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map(),
    );
    expect(selection.decisions.filter(d => d.action === 'delete')).toEqual([]);
    expect(selection.untagged).toEqual([]);
  });

  it('keeps a tag pushed after the graph was read', async () => {
    const repo = releases();
    const graph = await repo.read();
    repo.contents.tags.push({
      tag: 'v0',
      manifest_digest: digestOf('new'),
      updated_at: daysAgo(50),
    });
    const { decisions } = selectRetention(
      [repo.contents],
      AGGRESSIVE,
      NOW,
      new Map([['gateway', graph]]),
    );
    expect(decisions.find(d => d.tag.tag === 'v0')).toMatchObject({
      action: 'keep',
      reasons: [{ kind: 'unreadable' }],
    });
  });

  it('treats a Helm chart as an artifact like an image, scoped by repository', async () => {
    const repo = testRepository('charts/gateway');
    const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
    const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
    for (const version of ['0.1.0', '0.2.0'])
      repo.image(version, { config: HELM_CONFIG, layerType: HELM_LAYER });
    repo.list(['0.1.0', '0.2.0'], { '0.1.0': '0.1.0', '0.2.0': '0.2.0' });
    repo.contents.tags[0].updated_at = daysAgo(9);
    repo.contents.tags[1].updated_at = daysAgo(3);
    const graph = await repo.read();
    expect(graph.manifests.get(digestOf('0.1.0'))?.kind).toBe('helm-chart');
    const rules: RetentionRule[] = [
      { repositories: ['charts/*'], keepNewest: 1 },
      { repositories: ['gateway'], keepNewest: 0, deleteOlderThan: 'P1D' },
    ];
    const { decisions } = selectRetention(
      [repo.contents],
      rules,
      NOW,
      new Map([['charts/gateway', graph]]),
    );
    expect(decisions.map(d => [d.tag.tag, d.action])).toEqual([
      ['0.2.0', 'keep'],
      ['0.1.0', 'delete'],
    ]);
  });
});
