import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

describe('POST /registry-names/check (the scaffolder form’s name field)', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(allowCreate = true) {
    clock = new TestClock(Date.parse('2026-11-21T12:00:00Z'));
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme-prod' }],
      },
      clock: () => clock.ms,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(r => ({
              result:
                allowCreate || r.permission.name !== 'docr.registry.create'
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
        }).factory,
      ],
    });
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const check = (name: unknown) =>
    docr.api('post', '/registry-names/check', { name });
  const calls = () => emulator.requests.count('registries_validate_name');

  it('asks DigitalOcean: a taken name is unavailable, a free one available', async () => {
    await start();
    const taken = await check('acme-prod');
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ name: 'acme-prod', available: false });
    const free = await check('acme-new');
    expect(free.body).toMatchObject({ name: 'acme-new', available: true });
    expect(calls()).toBe(2);
  });

  it('answers a name typed again within a minute without DigitalOcean, and concurrent checks share one call', async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => check('acme-new')),
    );
    expect(answers.map(a => a.body.available)).toEqual(Array(10).fill(true));
    expect(calls()).toBe(1);
    clock.advance(30_000);
    await check('acme-new');
    expect(calls()).toBe(1);
    // After the minute, DigitalOcean is asked again: someone may have taken it meanwhile.
    emulator.account.createRegistry({ name: 'acme-new', region: 'fra1' });
    clock.advance(MINUTE);
    expect((await check('acme-new')).body.available).toBe(false);
    expect(calls()).toBe(2);
  });

  it('refuses a malformed name with the rule, without asking DigitalOcean', async () => {
    await start();
    const upper = await check('Acme');
    expect(upper.status).toBe(400);
    expect(upper.body.error.message).toContain(
      'name: Registry name must be lowercase',
    );
    expect((await check(42)).status).toBe(400);
    expect(calls()).toBe(0);
  });

  it('needs docr.registry.create (403 naming it), without asking DigitalOcean', async () => {
    await start(false);
    const denied = await check('acme-new');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('docr.registry.create');
    expect(calls()).toBe(0);
  });

  it('a failed DigitalOcean call is not remembered as an answer', async () => {
    await start();
    emulator.faults.add({ kind: 'error', status: 500, count: 10 });
    expect((await check('acme-new')).status).toBeGreaterThanOrEqual(500);
    emulator.faults.clear();
    expect((await check('acme-new')).body.available).toBe(true);
  });
});
