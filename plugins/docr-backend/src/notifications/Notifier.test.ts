import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { DocrNotification } from './events';
import {
  migratedLedger,
  recordingNotifier,
} from './__testUtils__/recordingNotifier';
import { Notifier } from './Notifier';
import type { NotificationsConfig } from './notificationsConfig';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const config: NotificationsConfig = {
  enabled: true,
  topics: {
    storage: true,
    registryLimit: true,
    windowSoon: true,
    gcProblem: true,
    policyInvalid: true,
    registryGone: true,
    retentionReport: false,
  },
  maxPerRegistryPerHour: 2,
};

const event = (
  key: string,
  topic = 'gcProblem' as const,
): DocrNotification => ({
  key,
  topic,
  registryName: 'acme-prod',
  recipients: ['resource:default/docr-acme-prod'],
  title: key,
  description: '',
  link: '/catalog/default/resource/docr-acme-prod/registry',
  severity: 'normal',
});

const at = (minutes: number) =>
  new Date(Date.UTC(2026, 10, 21) + minutes * 60_000);

jest.setTimeout(60_000);

describe('Notifier', () => {
  it('sends a registry at most its hourly limit, counting what it held back, then again; a topic switched off sends nothing', async () => {
    const { notifier, sent } = await recordingNotifier(databases, config);
    expect(await notifier.notify('default', event('a'), at(0))).toBe('sent');
    expect(await notifier.notify('default', event('a'), at(1))).toBe(
      'already sent',
    );
    expect(await notifier.notify('default', event('b'), at(2))).toBe('sent');
    expect(await notifier.notify('default', event('c'), at(3))).toBe(
      'over the hourly limit',
    );
    // Events held back count too: a flood keeps the registry quiet until an hour after it.
    expect(await notifier.notify('default', event('d'), at(62))).toBe(
      'over the hourly limit',
    );
    expect(await notifier.notify('default', event('e'), at(64))).toBe('sent');
    expect(
      await notifier.notify(
        'default',
        event('e', 'retentionReport' as any),
        at(63),
      ),
    ).toBe('topic off');
    expect(sent).toEqual(['a', 'b', 'e']);
  });

  it('releases a failed send for the next tick, and warns of failures once an hour', async () => {
    const logger = mockServices.logger.mock();
    let up = false;
    const notifier = new Notifier({
      notifications: {
        send: async () => {
          if (!up) throw new Error('404 no notifications backend');
        },
      },
      ledger: await migratedLedger(databases),
      config: { ...config, maxPerRegistryPerHour: 100 },
      logger,
    });
    expect(await notifier.notify('default', event('a'), at(0))).toBe('failed');
    expect(await notifier.notify('default', event('a'), at(1))).toBe('failed');
    expect(await notifier.notify('default', event('a'), at(61))).toBe('failed');
    expect(logger.warn).toHaveBeenCalledTimes(2); // at 0 and at 61 minutes
    up = true;
    expect(await notifier.notify('default', event('a'), at(62))).toBe('sent');
  });
});
