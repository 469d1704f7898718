import { screen, within } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type {
  RepositoryTagImageView,
  RepositoryTagView,
} from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { RepositoryTagsTable } from './RepositoryTagsTable';

const MIB = 1024 ** 2;
const SUBJECT_HEX = `0123456789ab${'c'.repeat(52)}`;

const image = (
  fields: Partial<RepositoryTagImageView>,
): RepositoryTagImageView => ({
  kind: 'image',
  platforms: [],
  signed: false,
  attested: false,
  sbom: false,
  ...fields,
});

const tag = (
  name: string,
  fields: Partial<RepositoryTagImageView> | undefined,
) => ({
  tag: name,
  digest: `sha256:${name.length}${'e'.repeat(63)}`,
  compressedSizeBytes: 12 * MIB,
  updatedAt: '2026-11-23T09:00:00Z',
  image: fields && image(fields),
});

async function render(repository: string, items: RepositoryTagView[]) {
  const api = {
    listTags: jest.fn(async () => ({
      items,
      totalCount: items.length,
      fetchedAt: '2026-11-23T10:00:00Z',
    })),
  } as unknown as DocrApi;
  await renderInTestApp(
    <TestApiProvider apis={[[docrApiRef, api]]}>
      <RepositoryTagsTable
        registry={{ name: 'acme-prod' }}
        repository={repository}
      />
    </TestApiProvider>,
  );
}

/** A tag's row: its cell shows the tag, whole in its title. */
const rowOf = async (name: string) =>
  (await screen.findByTitle(name)).closest('tr')!;

describe('what each tag of a repository is', () => {
  it('shows a multi-arch tag’s platforms and what is attached to an image', async () => {
    await render('gateway', [
      tag('1.4.0', {
        kind: 'index',
        platforms: ['linux/amd64', 'linux/arm64'],
        signed: true,
        attested: true,
        sbom: true,
      }),
      tag('0.9.0', {}),
    ]);
    const multiArch = await rowOf('1.4.0');
    expect(within(multiArch).getByText('linux/amd64')).toBeInTheDocument();
    expect(within(multiArch).getByText('linux/arm64')).toBeInTheDocument();
    expect(within(multiArch).getByText('signed')).toBeInTheDocument();
    expect(within(multiArch).getByText('attested')).toBeInTheDocument();
    expect(within(multiArch).getByText('SBOM')).toBeInTheDocument();
    expect(
      within(multiArch).getByText(
        'docker pull registry.digitalocean.com/acme-prod/gateway:1.4.0',
      ),
    ).toBeInTheDocument();
    const plain = await rowOf('0.9.0');
    expect(within(plain).queryByText('signed')).not.toBeInTheDocument();
    expect(within(plain).queryByText('SBOM')).not.toBeInTheDocument();
  });

  it('shows a Helm chart as a chart, pulled with helm', async () => {
    await render('charts/gateway', [tag('1.4.0', { kind: 'helm-chart' })]);
    const row = await rowOf('1.4.0');
    expect(within(row).getByText('Helm chart')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'helm pull oci://registry.digitalocean.com/acme-prod/charts/gateway --version 1.4.0',
      ),
    ).toBeInTheDocument();
    expect(within(row).queryByText(/^docker pull/)).not.toBeInTheDocument();
  });

  it('marks signature and attestation tags as attachments of their subject, shortened, with nothing to pull', async () => {
    await render('payments', [
      tag(`sha256-${SUBJECT_HEX}.sig`, { kind: 'signature' }),
      tag(`sha256-${SUBJECT_HEX}.att`, { kind: 'attestation' }),
    ]);
    const signature = await rowOf(`sha256-${SUBJECT_HEX}.sig`);
    expect(
      within(signature).getByText('sha256-0123456789ab….sig'),
    ).toBeInTheDocument();
    expect(
      within(signature).getByText('attachment: signature'),
    ).toBeInTheDocument();
    expect(
      within(signature).getByText('signature of sha256:0123456789ab'),
    ).toBeInTheDocument();
    expect(
      within(signature).getByText('pulled with the image it is attached to'),
    ).toBeInTheDocument();
    const attestation = await rowOf(`sha256-${SUBJECT_HEX}.att`);
    expect(
      within(attestation).getByText('attachment: attestation'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^docker pull/)).not.toBeInTheDocument();
  });

  it('says when a manifest’s type is unknown or it could not be read, with the reason', async () => {
    await render('tools', [
      tag('wasm', {
        kind: 'unknown',
        reason: 'artifactType application/vnd.wasm.config.v0+json',
      }),
      tag('broken', { kind: 'unreadable', reason: 'MANIFEST_UNKNOWN' }),
      tag('fresh', undefined),
    ]);
    expect(
      within(await rowOf('wasm')).getByText(
        'Type unknown: artifactType application/vnd.wasm.config.v0+json',
      ),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('broken')).getByText('Unreadable: MANIFEST_UNKNOWN'),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('fresh')).getByText('not read yet'),
    ).toBeInTheDocument();
  });

  it('shows where each tag runs: a chip per cluster and namespace or app, rollback targets apart, places in the tooltip', async () => {
    await render('web', [
      {
        ...tag('v1.4.2', {}),
        inUse: [
          {
            use: 'running',
            where: 'running in prod-ams3: shop/web-7d9f4-abcde',
            cluster: 'prod-ams3',
            namespace: 'shop',
          },
          {
            use: 'running',
            where: 'running in prod-ams3: shop/web-7d9f4-fghij',
            cluster: 'prod-ams3',
            namespace: 'shop',
          },
          {
            use: 'app',
            where: 'App Platform app shop-web, active deployment (web)',
            app: 'shop-web',
          },
        ],
      },
      {
        ...tag('v1.4.1', {}),
        inUse: [
          {
            use: 'previousRelease',
            where:
              'previous release 1 of prod-ams3: shop/deployment/web (revision 3)',
            cluster: 'prod-ams3',
            namespace: 'shop',
          },
        ],
      },
      { ...tag('v1.3.0', {}), inUse: [] },
      tag('v1.2.0', {}),
    ]);
    const running = within(await rowOf('v1.4.2'));
    expect(running.getByText('prod-ams3: shop')).toBeInTheDocument();
    expect(running.getByText('app shop-web')).toBeInTheDocument();
    expect(running.getAllByText(/^prod-ams3/)).toHaveLength(1);
    expect(
      within(await rowOf('v1.4.1')).getByText('rollback: prod-ams3: shop'),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('v1.3.0')).getByText('not in use'),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('v1.2.0')).getByText('not known yet'),
    ).toBeInTheDocument();
  });
});
