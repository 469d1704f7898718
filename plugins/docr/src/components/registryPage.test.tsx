import { screen } from '@testing-library/react';
import { usePermission } from '@backstage/plugin-permission-react';
import { GcCard } from './GcCard';
import { RegistryCard } from './RegistryCard';
import {
  catalogEntities,
  fakeApi,
  fakeCatalog,
  render,
  summary,
} from './__testUtils__/cards';

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));

/** The registry's page: both cards, as the entity page's overview shows them. */
const page = (
  <>
    <RegistryCard />
    <GcCard />
  </>
);

// The page's requests: a browser has few connections to the backend, so each request the cards
// save lets their data come sooner.
describe("a registry's page", () => {
  beforeEach(() => {
    jest
      .mocked(usePermission)
      .mockReturnValue({ loading: false, allowed: true });
  });

  it('asks the docr API once for both cards, and the catalog once for the clusters and the subscription', async () => {
    let answer: (value: ReturnType<typeof summary>) => void = () => {};
    const getRegistry = jest.fn(
      () => new Promise<ReturnType<typeof summary>>(r => (answer = r)),
    );
    const catalog = fakeCatalog(catalogEntities());
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    await render(page, { api: fakeApi({ getRegistry }), catalog });
    answer(summary());
    expect(await screen.findByTestId('next-window')).toBeInTheDocument();
    expect(screen.getByTestId('storage-label')).toHaveTextContent('4.0 GiB');
    expect(await screen.findByText('doks-prod-ams3')).toBeInTheDocument();
    expect(
      screen.getByText('do-registry-subscription-default'),
    ).toBeInTheDocument();
    expect(getRegistry).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
  });
});
