import { DoEmulator } from '@backstage-docr/do-emulator';
import { DocrTestBackend } from '../__testUtils__/backend';
import { AuditEntry, startApiBackend } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  let emulator: DoEmulator;
  let docr: DocrTestBackend;
  let audit: AuditEntry[];

  /** Allows the named permissions (all when none are named). */
  async function start(allowed?: string[]) {
    ({ emulator, docr, audit } = await startApiBackend(allowed));
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  it('answers 401 without credentials', async () => {
    await start();
    for (const path of [
      '/registries',
      '/registries/acme-dev',
      '/registries/acme-dev/gc-runs',
    ]) {
      expect((await docr.api('get', path, undefined, null)).status).toBe(401);
    }
    expect(
      (await docr.api('post', '/registries/acme-dev/gc-runs', {}, null)).status,
    ).toBe(401);
  });

  it('answers 403 without permission, naming it, and does nothing', async () => {
    await start(['docr.registry.read']);
    emulator.requests.reset();
    const run = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(run.status).toBe(403);
    expect(run.body.error.message).toBe(
      'Not allowed: docr.garbage-collection.run on resource:default/docr-acme-dev',
    );
    const policy = await docr.api('put', '/registries/acme-dev/policy', {
      windows: [],
    });
    expect(policy.status).toBe(403);
    expect(policy.body.error.message).toContain('docr.policy.update');
    expect(emulator.requests.mutating()).toEqual([]);
    expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(0);
    expect(
      (await docr.api('get', '/registries/acme-dev/gc-runs')).body.totalCount,
    ).toBe(0);
    expect(
      (await docr.api('get', '/registries/acme-dev/policy')).body.source,
    ).toBe('default');
    expect(audit.map(a => [a.eventId, a.outcome])).toEqual([
      ['gc-run-start', 'fail'],
      ['policy-update', 'fail'],
    ]);
  });

  it('needs docr.registry.read to read, and lists only the registries the user may read', async () => {
    await start([]);
    for (const path of [
      '/registries/acme-dev',
      '/registries/acme-dev/policy',
      '/registries/acme-dev/gc-runs',
      '/registries/acme-dev/storage',
    ]) {
      const res = await docr.api('get', path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('docr.registry.read');
    }
    expect((await docr.api('get', '/registries')).body.items).toEqual([]);
    // Nothing to read in the account: it is not listed either.
    expect((await docr.api('get', '/accounts')).body.items).toEqual([]);
  });
});
