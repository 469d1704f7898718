import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

const ALICE = 'user:default/alice'; // team-a
const ANNA = 'user:default/anna'; // team-a
const BOB = 'user:default/bob'; // team-b
const MEMBERSHIP: Record<string, string> = {
  [ALICE]: 'group:default/team-a',
  [ANNA]: 'group:default/team-a',
  [BOB]: 'group:default/team-b',
};
/** The catalog's owners, as the shipped policy reads them: each team owns its account's subscription. */
const OWNERS: Record<string, string> = {
  'resource:team-a/do-registry-subscription-team-a': 'group:default/team-a',
  'resource:team-b/do-registry-subscription-team-b': 'group:default/team-b',
};

/**
 * The first policy of a registry the scaffolder has just created belongs to the user it was
 * created for, in that account only, until the first policy is stored. Two teams, each owning
 * one DigitalOcean account's subscription entity; the new registries have no entity yet.
 */
describe('the first policy of a new registry', () => {
  const clock = new TestClock(Date.parse('2026-12-02T10:00:00Z'));
  let emulatorA: DoEmulator;
  let emulatorB: DoEmulator;
  let docr: DocrTestBackend;

  beforeAll(async () => {
    const seed = {
      account: { subscriptionTier: 'professional' as const },
      registries: [{ name: 'team-a-old' }],
    };
    emulatorA = await DoEmulator.start({ seed, clock: clock.now });
    emulatorB = await DoEmulator.start({
      seed: { account: seed.account, registries: [] },
      clock: clock.now,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulatorA.url,
      clock,
      digitalocean: {
        accounts: [
          { id: 'team-a', apiUrl: emulatorA.url, token: 'a' },
          { id: 'team-b', apiUrl: emulatorB.url, token: 'b' },
        ],
      },
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[], options: any) =>
            requests.map(r => {
              const user = options.credentials.principal.userEntityRef;
              const owner = OWNERS[r.resourceRef];
              const allowed =
                r.permission.name === 'docr.registry.read' ||
                (owner !== undefined && MEMBERSHIP[user] === owner);
              return {
                result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            }),
        }).factory,
      ],
    });
    clock.advance(31 * MINUTE); // team-a-old is older than the grace
    await docr.tick();
  });

  afterAll(async () => {
    await docr?.stop();
    await emulatorA?.stop();
    await emulatorB?.stop();
  });

  const as = (user: string) => ({
    record: (account: string, name: string) =>
      docr.api(
        'post',
        `/accounts/${account}/registries/${name}/creation`,
        {},
        mockCredentials.user.header(user),
      ),
    putPolicy: (account: string, name: string, policy: object) =>
      docr.api(
        'put',
        `/accounts/${account}/registries/${name}/policy`,
        policy,
        mockCredentials.user.header(user),
      ),
    checkName: (account: string, name: string) =>
      docr.api(
        'post',
        `/accounts/${account}/registry-names/check`,
        { name },
        mockCredentials.user.header(user),
      ),
  });
  const noGc = { enabled: false };

  it('refuses another team the record and the first policy, with 403 naming the permission, and calls DigitalOcean for no change', async () => {
    const recorded = await as(ALICE).record('team-a', 'alice-new');
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      registryName: 'alice-new',
      createdBy: ALICE,
    });
    emulatorA.account.createRegistry({ name: 'alice-new', region: 'fra1' });
    emulatorA.requests.reset();

    const bobRecords = await as(BOB).record('team-a', 'alice-new');
    expect(bobRecords.status).toBe(403);
    expect(bobRecords.body.error.message).toBe(
      'Not allowed: docr.registry.create on resource:team-a/do-registry-subscription-team-a',
    );
    const bobPuts = await as(BOB).putPolicy('team-a', 'alice-new', noGc);
    expect(bobPuts.status).toBe(403);
    expect(bobPuts.body.error.message).toBe(
      'Not allowed: docr.policy.update on resource:team-a/docr-alice-new',
    );
    const bobChecks = await as(BOB).checkName('team-a', 'bob-new');
    expect(bobChecks.status).toBe(403);
    expect(bobChecks.body.error.message).toContain('docr.registry.create');
    expect(emulatorA.requests.mutating()).toEqual([]);
    expect(emulatorA.requests.count('registries_validate_name')).toBe(0);
  });

  it('lets another member of the team not take a record that holds (409)', async () => {
    const anna = await as(ANNA).record('team-a', 'alice-new');
    expect(anna.status).toBe(409);
    expect(anna.body.error.message).toContain(ALICE);
    expect((await as(ANNA).putPolicy('team-a', 'alice-new', noGc)).status).toBe(
      403,
    );
  });

  it('lets the creator store the first policy, and ends the grace there', async () => {
    const first = await as(ALICE).putPolicy('team-a', 'alice-new', noGc);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ source: 'api', updatedBy: ALICE });
    const second = await as(ALICE).putPolicy('team-a', 'alice-new', {
      enabled: true,
    });
    expect(second.status).toBe(403);
    expect(second.body.error.message).toContain('docr.policy.update');
  });

  it('gives a creator nothing in another account, nor over a registry the account already has', async () => {
    // Bob creates "shared" in team-b; Alice records the same name in team-a only.
    expect((await as(BOB).record('team-b', 'shared')).status).toBe(201);
    expect((await as(ALICE).record('team-a', 'shared')).status).toBe(201);
    emulatorB.account.createRegistry({ name: 'shared', region: 'fra1' });
    emulatorB.requests.reset();
    const alice = await as(ALICE).putPolicy('team-b', 'shared', noGc);
    expect(alice.status).toBe(403);
    expect(alice.body.error.message).toBe(
      'Not allowed: docr.policy.update on resource:team-b/docr-shared',
    );
    expect(emulatorB.requests.mutating()).toEqual([]);
    expect((await as(BOB).putPolicy('team-b', 'shared', noGc)).status).toBe(
      200,
    );

    // A registry the account already has cannot be claimed by a new record, and grants nothing.
    const claim = await as(ALICE).record('team-a', 'team-a-old');
    expect(claim.status).toBe(409);
    expect(claim.body.error.message).toContain('already exists');
    const old = await as(ALICE).putPolicy('team-a', 'team-a-old', noGc);
    expect(old.status).toBe(403);
  });
});
