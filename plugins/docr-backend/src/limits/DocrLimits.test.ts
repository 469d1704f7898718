import { TooManyRequestsError } from '@backstage-docr/plugin-docr-node';
import { DEFAULT_LIMITS } from './config';
import { DocrLimits } from './DocrLimits';

describe('DocrLimits', () => {
  let nowMs = Date.parse('2026-12-03T08:00:00Z');
  const limits = () =>
    new DocrLimits(
      {
        ...DEFAULT_LIMITS,
        interactive: { requests: 5, perMs: 60_000 },
        maxConcurrentListings: 2,
        coldPreviews: { requests: 2, perMs: 60_000 },
      },
      () => new Date(nowMs),
    );

  it('lets an account start listings within its share and the bound on listings under way', () => {
    const gate = limits().listingGate('default');
    expect(gate.tryStart(1)).toBe(true);
    expect(gate.tryStart(1)).toBe(true);
    expect(gate.tryStart(1)).toBe(false); // two under way
    gate.finished();
    expect(gate.tryStart(3)).toBe(true); // 5 calls spent
    gate.finished();
    expect(gate.tryStart(1)).toBe(false); // the share is spent
    nowMs += 12_000;
    expect(gate.tryStart(1)).toBe(true);
  });

  it('keeps each account’s share its own', () => {
    const shared = limits();
    expect(shared.listingGate('default').tryStart(5)).toBe(true);
    expect(shared.listingGate('default').tryStart(1)).toBe(false);
    expect(shared.listingGate('team-b').tryStart(1)).toBe(true);
  });

  it('charges a user once per registry made cold, then refuses naming the key', () => {
    const charges = limits();
    charges.chargeColdPreview('user:default/a', 'default', 'one');
    charges.chargeColdPreview('user:default/a', 'default', 'one');
    charges.chargeColdPreview('user:default/a', 'default', 'two');
    expect(() =>
      charges.chargeColdPreview('user:default/a', 'default', 'three'),
    ).toThrow(TooManyRequestsError);
    expect(() =>
      charges.chargeColdPreview('user:default/a', 'default', 'three'),
    ).toThrow(/docr\.limits\.perUser\.coldPreviews/);
    charges.chargeColdPreview('user:default/b', 'default', 'three');
  });
});
