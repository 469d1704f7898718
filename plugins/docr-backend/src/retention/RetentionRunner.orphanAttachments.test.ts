import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import {
  RegistryHostClient,
  type OciDescriptor,
} from '@backstage-docr/plugin-docr-node';
import type { Knex } from 'knex';
import { RepositoryGraphs } from './graph';
import { RetentionRunner } from './RetentionRunner';
import { FAST, emulatorClient, migrate } from './__testUtils__/retentionKit';
import { retentionStores } from './__testUtils__/retentionStores';

jest.setTimeout(120_000);

const REGISTRY = 'acme';
const T0 = Date.parse('2026-11-23T13:00:00Z');
const DAY = 86_400_000;
const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const ATTESTATION_LAYER = 'application/vnd.dsse.envelope.v1+json';
const cosignTag = (subject: OciDescriptor, suffix: 'sig' | 'att') =>
  `sha256-${subject.digest.slice(7)}.${suffix}`;
/** Only untagged manifests go: every tag is kept by the rules. */
const RULES = [{ untaggedManifestsOlderThan: 'PT1H' }];

/**
 * Cosign's signature and attestation tags of an image whose tag was pushed again: the old image
 * is an untagged manifest the rules delete by digest, and its attachment tags go with it, once
 * its deletion is settled and a fresh listing shows no tag on it.
 */
describe('RetentionRunner: attachment tags of an untagged manifest deleted by digest', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: number;
  let emulator: DoEmulator;

  beforeEach(async () => {
    clock = T0 - 3 * DAY;
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: REGISTRY }],
      },
      clock: () => clock,
      validateResponses: true,
      rateLimitPerMinute: 1e9,
      rateLimitPerHour: 1e9,
    });
  });

  afterEach(() => emulator?.stop());

  async function signAndAttest(subject: OciDescriptor) {
    const push = registryPusher(emulator, REGISTRY, 'web');
    await push.image(`${subject.digest} signature`, {
      tag: cosignTag(subject, 'sig'),
      layerType: SIGNATURE_LAYER,
    });
    await push.image(`${subject.digest} attestation`, {
      tag: cosignTag(subject, 'att'),
      layerType: ATTESTATION_LAYER,
    });
  }

  /** web:1.0.0 signed and attested three days ago, then pushed again, signed and attested. */
  async function pushedAgain() {
    const push = registryPusher(emulator, REGISTRY, 'web');
    const old = (await push.image('web build 1', { tag: '1.0.0' })).manifest;
    await signAndAttest(old);
    const current = (await push.image('web build 2', { tag: '1.0.0' }))
      .manifest;
    await signAndAttest(current);
    clock = T0;
    return { old, current };
  }

  function runner(knex: Knex) {
    const client = emulatorClient(emulator);
    const registryHost = new RegistryHostClient({
      credentials: client,
      registryUrl: emulator.registryUrl,
      requestsPerSecond: 1e6,
    });
    return new RetentionRunner({
      client,
      ...retentionStores(knex),
      logger: mockServices.logger.mock(),
      options: FAST,
      imageGraph: {
        graphs: new RepositoryGraphs({ registryHost: () => registryHost }),
        registryHost: () => registryHost,
      },
    });
  }

  const run = (knex: Knex, planOnly = false) =>
    runner(knex).run({
      account: 'default',
      registryName: REGISTRY,
      occurrenceKey: '0@2026-11-23',
      retention: { rules: RULES },
      deadline: new Date(T0 + DAY),
      now: () => new Date(clock),
      planOnly,
    });

  const tagsNow = async () =>
    (await emulatorClient(emulator).listTags(REGISTRY, 'web'))
      .map(t => t.tag)
      .sort();

  /** The DELETEs the emulator served, in order: `tags/<tag>` or `digests/<digest>`. */
  const deletes = () =>
    emulator.requests
      .all()
      .filter(e => e.method === 'DELETE')
      .map(e => decodeURIComponent(e.path).replace(/^.*\/web\//, ''));

  it.each(databases.eachSupportedId())(
    'deletes them after the manifest, keeps the current image and its attachments, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const { old, current } = await pushedAgain();

      const summary = await run(knex);

      const [first, ...then] = deletes();
      expect(first).toBe(`digests/${old.digest}`);
      expect(then.sort()).toEqual(
        [
          `tags/${cosignTag(old, 'sig')}`,
          `tags/${cosignTag(old, 'att')}`,
        ].sort(),
      );
      expect(summary).toMatchObject({
        deletedManifests: 1,
        deletedTags: 2,
        remaining: 0,
        skipped: 0,
        failed: 0,
      });
      expect(await tagsNow()).toEqual(
        ['1.0.0', cosignTag(current, 'sig'), cosignTag(current, 'att')].sort(),
      );
    },
  );

  it('keeps them when the manifest is tagged again after the plan, so not deleted', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrate(knex);
    const { old } = await pushedAgain();
    await run(knex, true);
    // Someone tags the old image for a rollback before the deletions.
    await registryPusher(emulator, REGISTRY, 'web').image('web build 1', {
      tag: 'rollback',
    });

    const summary = await run(knex);

    expect(deletes()).toEqual([]);
    expect(summary).toMatchObject({ deleted: 0, skipped: 3, remaining: 0 });
    expect(await tagsNow()).toEqual(
      expect.arrayContaining([
        'rollback',
        cosignTag(old, 'sig'),
        cosignTag(old, 'att'),
      ]),
    );
  });
});
