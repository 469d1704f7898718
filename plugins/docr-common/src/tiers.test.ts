import { GIB, MIB, estimateMonthlyCost, storageUsageRatio } from './tiers';

const basic = {
  slug: 'basic',
  included_storage_bytes: 5 * GIB,
  allow_storage_overage: true,
  monthly_price_in_cents: 500,
  storage_overage_price_in_cents: 2,
};

describe('monthly cost', () => {
  it('is the tier price while storage fits the tier', () => {
    expect(estimateMonthlyCost(basic, 4 * GIB)).toEqual({
      baseCents: 500,
      overageBytes: 0,
      overageCents: 0,
      totalCents: 500,
    });
  });

  it('adds overage per GiB above the included storage', () => {
    const cost = estimateMonthlyCost(basic, 15 * GIB);
    expect(cost.overageBytes).toBe(10 * GIB);
    expect(cost.overageCents).toBe(20);
    expect(cost.totalCents).toBe(520);
  });

  it('prices part of a GiB proportionally', () => {
    expect(estimateMonthlyCost(basic, 5 * GIB + 512 * MIB).overageCents).toBe(
      1,
    );
  });

  it('reports usage against the included storage', () => {
    expect(storageUsageRatio(basic, 4 * GIB)).toBeCloseTo(0.8);
    expect(storageUsageRatio({}, 4 * GIB)).toBeUndefined();
  });
});
