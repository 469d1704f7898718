import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { RepositoryTagPageView } from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { ComponentImagesContent } from './ComponentImagesContent';

const MIB = 1024 ** 2;

const component = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', annotations },
  spec: { type: 'service', owner: 'group:default/platform' },
});

const tags: RepositoryTagPageView = {
  items: [
    {
      tag: 'sha-4f2a91c',
      digest: `sha256:0123456789ab${'c'.repeat(52)}`,
      compressedSizeBytes: 42 * MIB,
      updatedAt: '2026-11-28T09:00:00Z',
    },
  ],
  totalCount: 1,
  fetchedAt: '2026-11-29T10:00:00Z',
  imagesPending: false,
};

async function render(entity: Entity, listTags = jest.fn(async () => tags)) {
  const api = { listTags } as unknown as DocrApi;
  await renderInTestApp(
    <TestApiProvider apis={[[docrApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ComponentImagesContent />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          require('@backstage/plugin-catalog-react').entityRouteRef,
      },
    },
  );
  return listTags;
}

describe('a Component’s images', () => {
  it('reads the repository of the account the Component names, and links that account’s registry', async () => {
    const listTags = await render(
      component({
        'digitalocean.com/container-repository': 'acme-prod/web',
        'digitalocean.com/account': 'team-b',
      }),
    );
    expect(
      await screen.findByText(
        'docker pull registry.digitalocean.com/acme-prod/web:sha-4f2a91c',
      ),
    ).toBeInTheDocument();
    expect(listTags).toHaveBeenCalledWith(
      { name: 'acme-prod', account: 'team-b' },
      'web',
      expect.objectContaining({ offset: 0 }),
    );
    expect(screen.getByRole('link', { name: 'acme-prod' })).toHaveAttribute(
      'href',
      '/catalog/team-b/resource/docr-acme-prod',
    );
  });

  it('lists the tags of the repository its annotation names, with sizes and pull commands, and links the registry', async () => {
    const listTags = await render(
      component({ 'digitalocean.com/container-repository': 'acme-prod/web' }),
    );
    expect(
      await screen.findByText(
        'docker pull registry.digitalocean.com/acme-prod/web:sha-4f2a91c',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('42.0 MiB')).toBeInTheDocument();
    expect(listTags).toHaveBeenCalledWith(
      { name: 'acme-prod' },
      'web',
      expect.objectContaining({ offset: 0 }),
    );
    expect(screen.getByRole('link', { name: 'acme-prod' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/docr-acme-prod',
    );
  });

  it('shows what each image is: its platforms and that it is signed, attested, with an SBOM', async () => {
    const image = {
      kind: 'index' as const,
      platforms: ['linux/amd64', 'linux/arm64'],
      signed: true,
      attested: true,
      sbom: true,
    };
    await render(
      component({ 'digitalocean.com/container-repository': 'acme-prod/web' }),
      jest.fn(async () => ({
        ...tags,
        items: [{ ...tags.items[0], image }],
      })),
    );
    const summary = await screen.findByTestId('image-sha-4f2a91c');
    for (const label of [
      'linux/amd64',
      'linux/arm64',
      'signed',
      'attested',
      'SBOM',
    ])
      expect(within(summary).getByText(label)).toBeInTheDocument();
  });

  it('says which annotation is missing, without asking the docr backend', async () => {
    const listTags = await render(component());
    expect(
      await screen.findAllByText(/digitalocean.com\/container-repository/),
    ).not.toHaveLength(0);
    expect(listTags).not.toHaveBeenCalled();
  });
});
