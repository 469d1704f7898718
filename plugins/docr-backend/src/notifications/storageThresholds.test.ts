import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { recordingNotifier } from './__testUtils__/recordingNotifier';
import { storageEvent, storageThresholds } from './events';
import { readNotificationsConfig } from './notificationsConfig';

jest.setTimeout(60_000);

const GIB = 1024 ** 3;

describe('storage thresholds', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('notifies each threshold once while usage hovers around it, and again after it fell well below', async () => {
    const { notifier, sent } = await recordingNotifier(
      databases,
      readNotificationsConfig(new ConfigReader({})),
    );
    // Hourly listings of a Basic account (5 GiB included): pushes, GCs, pushes again.
    const hourly = [
      0.6, 0.84, 0.78, 0.82, 0.79, 1.02, 0.97, 1.01, 0.9, 0.7, 0.83,
    ];
    for (const [hour, ratio] of hourly.entries()) {
      const { rearm, threshold } = storageThresholds(ratio);
      for (const prefix of rearm) await notifier.rearm('default', prefix);
      if (threshold)
        await notifier.notify(
          'default',
          storageEvent('default', threshold, ratio * 5 * GIB, 5 * GIB, 'Basic'),
          new Date(Date.UTC(2026, 11, 3, hour)),
        );
    }
    expect(sent).toEqual([
      "Registry storage at 84 % of the Basic tier's included storage",
      "Registry storage is over the Basic tier's included storage",
      // 0.9 re-armed 100 %; 0.7 re-armed 80 %: the next crossing is news.
      "Registry storage at 83 % of the Basic tier's included storage",
    ]);
  });

  it('re-arms a threshold only below it by the margin', () => {
    expect(storageThresholds(0.78)).toEqual({
      threshold: undefined,
      rearm: ['storage-100:'],
    });
    expect(storageThresholds(0.74)).toEqual({
      rearm: ['storage-100:', 'storage-80:'],
    });
    expect(storageThresholds(0.96)).toEqual({ threshold: 80, rearm: [] });
    expect(storageThresholds(1)).toEqual({ threshold: 100, rearm: [] });
  });
});
