import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import type { AppImage } from '@backstage-docr/plugin-docr-common';
import { AppPlatformAppCard, imageReference } from './AppPlatformAppCard';
import { fakeCatalog, registryEntity, render } from './__testUtils__/cards';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const images: AppImage[] = [
  {
    component: 'web',
    kind: 'service',
    registry: 'acme-prod',
    repository: 'web',
    tag: 'v1.4.2',
    deployOnPush: true,
  },
  {
    component: 'migrate',
    kind: 'job',
    registry: 'acme-prod',
    repository: 'api',
    digest: DIGEST,
    deployOnPush: false,
  },
];

function appEntity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'doapp-shop-api',
      title: 'shop-api',
      annotations: {
        'digitalocean.com/region': 'fra',
        'digitalocean.com/app-data-centers': 'fra1',
        'digitalocean.com/app-images': JSON.stringify(images),
        ...annotations,
      },
      links: [
        { url: 'https://shop-api-1a2b3.ondigitalocean.app', title: 'Live app' },
      ],
    },
    spec: { type: 'digitalocean-app', owner: 'group:default/platform' },
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/docr-acme-prod' },
    ],
  };
}

const catalog = () => fakeCatalog([registryEntity(0)]);

describe('AppPlatformAppCard', () => {
  it('links no live URL that is not a web address', async () => {
    const entity = appEntity();
    entity.metadata.links = [
      // eslint-disable-next-line no-script-url
      { url: 'javascript:alert(document.cookie)', title: 'Live app' },
    ];
    await render(<AppPlatformAppCard />, { entity, catalog: catalog() });
    expect(await screen.findByText('docr-acme-prod')).toBeInTheDocument();
    expect(screen.queryByText(/^Live:/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /javascript/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the region, live URL, registry and each DOCR image with its tag or digest and deploy on push', async () => {
    await render(<AppPlatformAppCard />, {
      entity: appEntity(),
      catalog: catalog(),
    });
    expect(await screen.findByText('docr-acme-prod')).toBeInTheDocument();
    expect(screen.getByText('fra (fra1)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'https://shop-api-1a2b3.ondigitalocean.app',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('registry.digitalocean.com/acme-prod/web:v1.4.2'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Yes: a push of v1.4.2 deploys it'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`registry.digitalocean.com/acme-prod/api@${DIGEST}`),
    ).toBeInTheDocument();
    expect(screen.getByText('Job')).toBeInTheDocument();
    expect(screen.getByText('No')).toBeInTheDocument();
    expect(screen.queryByTestId('docr-cross-region')).not.toBeInTheDocument();
  });

  it('warns when the app pulls from a registry in another region', async () => {
    await render(<AppPlatformAppCard />, {
      entity: appEntity({
        'digitalocean.com/cross-region-registries': 'acme-prod',
      }),
      catalog: catalog(),
    });
    expect(await screen.findByText('docr-acme-prod')).toBeInTheDocument();
    expect(screen.getByTestId('docr-cross-region')).toHaveTextContent(
      'shop-api runs in fra1, acme-prod is in ams3: every pull crosses regions',
    );
  });

  it('writes an image by tag or digest, without a registry the spec does not name', () => {
    expect(imageReference(images[0])).toBe(
      'registry.digitalocean.com/acme-prod/web:v1.4.2',
    );
    expect(
      imageReference({
        component: 'w',
        kind: 'worker',
        repository: 'worker',
        tag: 'latest',
        deployOnPush: false,
      }),
    ).toBe('worker:latest');
  });
});
