import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { DocrApi, docrApiRef } from '../api';
import { DoksClusterPicker, crossRegionClusters } from './DoksClusterPicker';
import { RegionField } from './RegionField';
import { NAME_CHECK_DEBOUNCE_MS } from '../hooks/useRegistryNameAvailability';
import { RegistryNameField, validateRegistryName } from './RegistryNameField';
import { TierField, tierConsequence } from './TierField';

const subscription: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'do-registry-subscription-default',
    annotations: {
      'digitalocean.com/subscription-tier': 'professional',
      'digitalocean.com/registry-count': '3',
      'digitalocean.com/registry-limit': '10',
      'digitalocean.com/available-regions': 'ams3,fra1,nyc3',
    },
  },
  spec: { type: 'container-registry-subscription' },
};

const cluster = (name: string, region: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `doks-${name}`,
    title: name,
    annotations: {
      'digitalocean.com/region': region,
      'digitalocean.com/account': 'default',
    },
  },
  spec: { type: 'kubernetes-cluster' },
});
const clusters = [
  cluster('prod-ams3', 'ams3'),
  cluster('staging-fra1', 'fra1'),
];

const catalog = {
  getEntityByRef: jest.fn(async (ref: string) =>
    ref === 'resource:default/do-registry-subscription-default'
      ? subscription
      : undefined,
  ),
  getEntities: jest.fn(async () => ({ items: clusters })),
};

function fieldProps<T>(overrides: Record<string, unknown> = {}) {
  return {
    onChange: jest.fn(),
    rawErrors: [],
    required: true,
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    formContext: { formData: {} },
    ...overrides,
  } as any as T;
}

async function render(element: JSX.Element, docrApi: Partial<DocrApi> = {}) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalog],
        [docrApiRef, docrApi],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
}

describe('registry name field', () => {
  it('says at once what is wrong with the format, without asking DigitalOcean', async () => {
    const checkRegistryName = jest.fn();
    await render(<RegistryNameField {...fieldProps({ formData: 'Acme' })} />, {
      checkRegistryName,
    });
    expect(
      screen.getByText(/Registry name must be lowercase/),
    ).toBeInTheDocument();
    expect(checkRegistryName).not.toHaveBeenCalled();
  });

  it('asks DigitalOcean once the user stops typing, and says whether the name is free', async () => {
    const checkRegistryName = jest.fn(async (name: string) => ({
      name,
      available: name !== 'acme-prod',
      checkedAt: '2026-11-29T08:00:00Z',
    }));
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(
        <RegistryNameField {...fieldProps({ formData: 'acme-prod' })} />,
        { checkRegistryName },
      );
      expect(
        screen.getByText('Checking with DigitalOcean…'),
      ).toBeInTheDocument();
      jest.advanceTimersByTime(NAME_CHECK_DEBOUNCE_MS);
      expect(
        await screen.findByText(
          'acme-prod is taken (names are unique across DigitalOcean)',
        ),
      ).toBeInTheDocument();
      expect(checkRegistryName).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('blocks the step on a taken name, and lets a free one through', async () => {
    const api = {
      checkRegistryName: async (name: string) => ({
        name,
        available: name === 'acme-new',
        checkedAt: '',
      }),
    };
    const context = {
      apiHolder: { get: () => api },
      formData: {},
      schema: {},
    } as any;
    const taken = { addError: jest.fn() } as any;
    await validateRegistryName('acme-prod', taken, context);
    expect(taken.addError).toHaveBeenCalledWith(
      'acme-prod is taken (names are unique across DigitalOcean)',
    );
    const free = { addError: jest.fn() } as any;
    await validateRegistryName('acme-new', free, context);
    expect(free.addError).not.toHaveBeenCalled();
  });
});

describe('region field', () => {
  it('offers the regions DigitalOcean offers, from the account’s subscription entity', async () => {
    const onChange = jest.fn();
    await render(<RegionField {...fieldProps({ onChange })} />);
    await waitFor(() => expect(catalog.getEntityByRef).toHaveBeenCalled());
    fireEvent.mouseDown(await screen.findByRole('button'));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual([
      'ams3',
      'fra1',
      'nyc3',
    ]);
    fireEvent.click(listbox.getByText('fra1'));
    expect(onChange).toHaveBeenCalledWith('fra1');
  });
});

describe('DOKS cluster picker', () => {
  it('warns when a chosen cluster is in another region than the registry', async () => {
    await render(
      <DoksClusterPicker
        {...fieldProps({
          formData: ['resource:default/doks-prod-ams3'],
          formContext: { formData: { region: 'fra1' } },
        })}
      />,
    );
    expect(await screen.findByTestId('docr-cross-region')).toHaveTextContent(
      'prod-ams3 is in ams3, the registry in fra1: every pull crosses regions',
    );
  });

  it('says nothing when the cluster is in the registry’s region', () => {
    expect(
      crossRegionClusters(
        clusters,
        ['resource:default/doks-prod-ams3'],
        'ams3',
      ),
    ).toEqual([]);
  });

  it('lists the account’s clusters from the catalog', async () => {
    await render(<DoksClusterPicker {...fieldProps({ formData: [] })} />);
    await waitFor(() =>
      expect(catalog.getEntities).toHaveBeenCalledWith({
        filter: {
          kind: 'resource',
          'spec.type': 'kubernetes-cluster',
          'metadata.annotations.digitalocean.com/account': 'default',
        },
      }),
    );
  });
});

describe('tier field', () => {
  it('shows the account’s tier and registry count, and that a lower minimum keeps the tier', async () => {
    await render(<TierField {...fieldProps({ formData: 'basic' })} />);
    expect(
      await screen.findByText(
        'The account is on Professional with 3 of 10 registries: it keeps Professional (a tier is never lowered)',
      ),
    ).toBeInTheDocument();
  });

  it('says when creating raises the account’s tier', () => {
    expect(
      tierConsequence('professional', {
        tier: 'basic',
        registryCount: 0,
        registryLimit: 1,
        regions: [],
      }),
    ).toBe(
      'The account is on Basic with 0 of 1 registries: creating this registry raises the account to Professional, billed for the whole account (the template must allow the raise)',
    );
    // A second registry on a one-registry tier needs Professional whatever the minimum.
    expect(
      tierConsequence('starter', {
        tier: 'starter',
        registryCount: 1,
        registryLimit: 1,
        regions: [],
      }),
    ).toContain('raises the account to Professional');
    expect(tierConsequence('starter', undefined)).toBe(
      'The account has no registry subscription yet: it starts on Starter',
    );
  });
});
