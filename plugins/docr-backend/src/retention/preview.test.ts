import type {
  RepositoryManifest,
  RepositoryTag,
} from '@backstage-docr/digitalocean-openapi';
import { gcPolicySchema } from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import { previewRetention } from './preview';

const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) =>
  new Date(NOW.getTime() - days * 86_400_000).toISOString();

const tag = (name: string, digest: string, days: number): RepositoryTag => ({
  tag: name,
  manifest_digest: digest,
  updated_at: daysAgo(days),
  compressed_size_bytes: 0,
});

const manifest = (
  digest: string,
  days: number,
  blobs: Array<[string, number]>,
): RepositoryManifest => ({
  digest,
  updated_at: daysAgo(days),
  blobs: blobs.map(([d, size]) => ({ digest: d, compressed_size_bytes: size })),
});

// web: m-old (tagged old and keep-me), m-gone (tagged gone), m-untagged (no tag, 20 days old).
// api: a-gone (tagged a-old), sharing blob "cross" with web's m-gone.
const repositories: RepositoryContents[] = [
  {
    name: 'web',
    tags: [
      tag('old', 'm-old', 40),
      tag('keep-me', 'm-old', 40),
      tag('gone', 'm-gone', 40),
    ],
    manifests: [
      manifest('m-old', 40, [
        ['base', 1000],
        ['old-app', 10],
      ]),
      manifest('m-gone', 40, [
        ['base', 1000],
        ['gone-app', 20],
        ['cross', 300],
      ]),
      manifest('m-untagged', 20, [
        ['untagged-app', 40],
        ['old-app', 10],
      ]),
    ],
  },
  {
    name: 'api',
    tags: [tag('a-old', 'a-gone', 40)],
    manifests: [
      manifest('a-gone', 40, [
        ['cross', 300],
        ['api-app', 5],
      ]),
    ],
  },
];

function preview(rules: object[]) {
  return previewRetention({
    registry: 'acme',
    contents: { repositories, fetchedAt: NOW },
    effective: {
      policy: gcPolicySchema.parse({ retention: { rules } }),
      source: 'api',
    },
    now: NOW,
  });
}

describe('previewRetention', () => {
  it('counts the blobs only deleted manifests reference: a manifest with a kept tag stays, a blob shared across repositories is freed once, in the total only', () => {
    const view = preview([{ deleteOlderThan: 'P30D', protect: ['keep-me'] }]);
    const web = view.repositories.find(r => r.name === 'web')!;
    expect(web.delete.map(t => t.tag)).toEqual(['gone', 'old']);
    expect(web.keep.map(t => t.tag)).toEqual(['keep-me']);
    // m-old keeps base and old-app; gone-app (20), cross (300) and api-app (5) are freed.
    expect(view.estimatedFreedBytes).toBe(325);
    expect(web.estimatedFreedBytes).toBe(20);
    expect(
      view.repositories.find(r => r.name === 'api')!.estimatedFreedBytes,
    ).toBe(5);
    expect(web.untaggedManifestsToDelete).toEqual([]);
  });

  it('deletes untagged manifests older than untaggedManifestsOlderThan and counts their blobs', () => {
    const view = preview([{ untaggedManifestsOlderThan: 'P14D' }]);
    expect(view.tagsToDelete).toBe(0);
    const web = view.repositories.find(r => r.name === 'web')!;
    expect(web.untaggedManifestsToDelete).toEqual([
      {
        digest: 'm-untagged',
        updatedAt: daysAgo(20),
        compressedSizeBytes: 0,
        rule: 0,
      },
    ]);
    // old-app is still referenced by m-old.
    expect(view.estimatedFreedBytes).toBe(40);
    expect(
      preview([{ untaggedManifestsOlderThan: 'P30D' }]).estimatedFreedBytes,
    ).toBe(0);
  });

  it('keeps tags and untagged manifests of unknown push time, saying why, and gives them no keepNewest place', () => {
    const undated: RepositoryContents = {
      name: 'undated',
      tags: [
        tag('new', 'd-new', 1),
        tag('old', 'd-old', 40),
        { ...tag('no-time', 'd-none', 0), updated_at: undefined },
        { ...tag('bad-time', 'd-bad', 0), updated_at: 'not a time' },
      ],
      manifests: [
        { ...manifest('u-none', 0, [['u', 7]]), updated_at: undefined },
        { ...manifest('u-bad', 0, [['v', 8]]), updated_at: '' },
      ],
    };
    const view = previewRetention({
      registry: 'acme',
      contents: { repositories: [undated], fetchedAt: NOW },
      effective: {
        policy: gcPolicySchema.parse({
          retention: {
            rules: [
              { keepNewest: 1, deleteOlderThan: 'P7D' },
              { untaggedManifestsOlderThan: 'P1D' },
            ],
          },
        }),
        source: 'api',
      },
      now: NOW,
    });
    const [repository] = view.repositories;
    expect(repository.delete.map(t => t.tag)).toEqual(['old']);
    expect(repository.keep.map(t => [t.tag, t.reason])).toEqual([
      ['new', 'among the 1 newest of rule 1'],
      ['bad-time', 'push time unknown: kept'],
      ['no-time', 'push time unknown: kept'],
    ]);
    expect(repository.untaggedManifestsToDelete).toEqual([]);
    expect(repository.untaggedManifestsKept).toEqual([
      {
        digest: 'u-none',
        updatedAt: '',
        compressedSizeBytes: 0,
        reason: 'push time unknown: kept',
      },
      {
        digest: 'u-bad',
        updatedAt: '',
        compressedSizeBytes: 0,
        reason: 'push time unknown: kept',
      },
    ]);
    expect(view.estimatedFreedBytes).toBe(0);
  });
});
