import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { SavingsView } from '@backstage-docr/plugin-docr-common';
import { EntitySavingsCard } from './EntitySavingsCard';
import { describeForecast } from './SavingsCard';
import { GIB, fakeApi, registryEntity, render } from './__testUtils__/cards';

const MIB = 1024 ** 2;

const month = (m: string, freedBytes: number, storageBytes: number) => ({
  month: m,
  start: `${m}-01T00:00:00.000+01:00`,
  runs: freedBytes ? 1 : 0,
  freedBytes,
  retentionFreedBytes: 0,
  tagsDeleted: 0,
  storageBytes,
  overageAvoidedCents: 0,
});

function savings(overrides: Partial<SavingsView> = {}): SavingsView {
  return {
    account: 'default',
    registry: 'acme-prod',
    registries: ['acme-prod'],
    timezone: 'Europe/Berlin',
    tier: {
      slug: 'basic',
      name: 'Basic',
      includedStorageBytes: 5 * GIB,
      storageOveragePriceInCents: 2,
      allowStorageOverage: true,
    },
    months: [
      month('2026-10', 3 * GIB, 4 * GIB),
      month('2026-11', GIB, 4.5 * GIB),
    ],
    totals: {
      runs: 2,
      freedBytes: 4 * GIB,
      retentionFreedBytes: GIB,
      tagsDeleted: 120,
      overageAvoidedCents: 6,
    },
    trend: {
      storageBytes: 4.5 * GIB,
      growthBytesPerDay: 50 * MIB,
      accountStorageBytes: 4.5 * GIB,
      includedStorageReachedOn: '2026-12-12',
      includedStorageReached: false,
    },
    ...overrides,
  };
}

describe('the savings card', () => {
  it("shows the registry's freed bytes, the overage avoided at its tier's price and when the included storage is reached, with a chart", async () => {
    const getSavings = jest.fn(async () => savings());
    await render(<EntitySavingsCard />, {
      entity: registryEntity(4 * GIB),
      api: fakeApi({ getSavings }),
    });
    expect(await screen.findByTestId('savings-freed')).toHaveTextContent(
      'Freed in 12 months: 4.0 GiB by 2 garbage collections, 1.0 GiB of it after retention deleted 120 tags',
    );
    expect(screen.getByTestId('savings-overage')).toHaveTextContent(
      "Overage avoided: $0.06 at the Basic tier's $0.02 per GiB",
    );
    expect(screen.getByTestId('savings-forecast')).toHaveTextContent(
      'At 50.0 MiB a day the account reaches its included 5.0 GiB around 2026-12-12.',
    );
    expect(screen.getByTestId('savings-chart')).toBeInTheDocument();
    expect(getSavings).toHaveBeenCalledWith(
      { registry: 'acme-prod', account: undefined },
      { months: 12 },
    );
  });

  it("asks for the account's savings on the subscription's page and downloads the CSV", async () => {
    const getSavings = jest.fn(async () =>
      savings({ registry: undefined, registries: ['acme-dev', 'acme-prod'] }),
    );
    const getSavingsCsv = jest.fn(async () => 'month,runs\n2026-11,1\n');
    URL.createObjectURL = jest.fn(() => 'blob:savings');
    URL.revokeObjectURL = jest.fn();
    await render(<EntitySavingsCard />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'do-registry-subscription-team',
          annotations: { 'digitalocean.com/account': 'team' },
        },
        spec: { type: 'container-registry-subscription' },
      },
      api: fakeApi({ getSavings, getSavingsCsv }),
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    expect(getSavings).toHaveBeenCalledWith(
      { account: 'team' },
      { months: 12 },
    );
    expect(getSavingsCsv).toHaveBeenCalledWith(
      { account: 'team' },
      { months: 12 },
    );
  });

  it('says when the account is past its included storage, or never reaches it', () => {
    const past = savings();
    past.trend = { ...past.trend, includedStorageReached: true };
    expect(describeForecast(past)).toBe(
      'The account is past its included 5.0 GiB.',
    );
    const flat = savings();
    flat.trend = {
      ...flat.trend,
      includedStorageReachedOn: null,
      growthBytesPerDay: -MIB,
    };
    expect(describeForecast(flat)).toBe(
      'At the current growth the account does not reach its included 5.0 GiB.',
    );
  });
});
