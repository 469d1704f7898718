import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { NAME_CHECK_TTL_MS, NameAvailability } from './NameAvailability';

/** DigitalOcean's answers, settled by the test in any order. */
function heldAnswers() {
  const calls: Array<{
    resolve: (available: boolean) => void;
    reject: (error: Error) => void;
  }> = [];
  const client = {
    isRegistryNameAvailable: () =>
      new Promise<boolean>((resolve, reject) =>
        calls.push({ resolve, reject }),
      ),
  } as unknown as DigitalOceanClient;
  return { client, calls };
}

describe('NameAvailability', () => {
  it('keeps a newer answer when an older, expired question fails after it', async () => {
    const { client, calls } = heldAnswers();
    let now = Date.parse('2026-12-03T12:00:00Z');
    const availability = new NameAvailability(client, () => new Date(now));

    const first = availability.check('acme', 'user:default/ana');
    now += NAME_CHECK_TTL_MS + 1;
    const second = availability.check('acme', 'user:default/ana');
    calls[1].resolve(true);
    await expect(second).resolves.toMatchObject({ available: true });
    calls[0].reject(new Error('socket hang up'));
    await expect(first).rejects.toThrow('socket hang up');

    // The newer answer is still held: no third call to DigitalOcean.
    await expect(
      availability.check('acme', 'user:default/ana'),
    ).resolves.toMatchObject({ available: true });
    expect(calls).toHaveLength(2);
  });

  it('asks DigitalOcean again after a failed call', async () => {
    const { client, calls } = heldAnswers();
    const availability = new NameAvailability(client, () => new Date());
    const failed = availability.check('acme', 'user:default/ana');
    calls[0].reject(new Error('503'));
    await expect(failed).rejects.toThrow('503');
    const again = availability.check('acme', 'user:default/ana');
    calls[1].resolve(false);
    await expect(again).resolves.toMatchObject({ available: false });
  });
});
