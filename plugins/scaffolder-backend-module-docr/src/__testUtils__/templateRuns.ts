import fs from 'node:fs';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import { Portal, loadTemplate, templatesDir } from './portal';

/**
 * Every template in templates/ run to completion through the scaffolder's task API on the two
 * accounts a new user meets: the demo account (Professional, three registries) and an empty
 * Starter account. The tier in a template is a minimum: an account already high enough keeps
 * its tier, a raise needs the template's consent (allowTierRaise), nothing lowers it.
 */

export const STARTUP_TIMEOUT = 120_000;
export const TEST_TIMEOUT = 120_000;

const CLUSTER = {
  id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  name: 'prod-ams3',
  region: 'ams3',
};

/** An account with a Starter subscription and no registry yet (and a DOKS cluster). */
export const STARTER_SEED: EmulatorSeed = {
  account: { subscriptionTier: 'starter', takenNames: ['taken'] },
  clusters: [{ ...CLUSTER, registries: [] }],
};

export interface TemplateRun {
  values: Record<string, unknown>;
  /** The registries (name → region) the template creates. */
  registries: Record<string, string>;
  /** The retention rules the template stores with the policy (none when absent). */
  retention?: object[];
}

/** The values a user would give each template (defaults except names), by template file. */
export function runsFor(prefix: string): Record<string, TemplateRun> {
  return {
    'dev-registry.yaml': {
      values: { name: `${prefix}-dev`, region: 'fra1', gcDay: 'sun' },
      registries: { [`${prefix}-dev`]: 'fra1' },
      // The template's defaults: the 20 newest and anything younger than 30 days kept.
      retention: [
        {
          keepNewest: 20,
          deleteOlderThan: 'P30D',
          protect: ['latest'],
          protectSemver: true,
        },
      ],
    },
    'staging-registry.yaml': {
      values: {
        name: `${prefix}-staging`,
        region: 'fra1',
        timezone: 'Europe/Berlin',
      },
      registries: { [`${prefix}-staging`]: 'fra1' },
    },
    'registry-with-doks.yaml': {
      values: {
        name: `${prefix}-k8s`,
        tier: 'starter',
        region: 'ams3',
        clusters: ['resource:default/doks-prod-ams3'],
        gcTimezone: 'UTC',
      },
      registries: { [`${prefix}-k8s`]: 'ams3' },
    },
    'production-registries.yaml': {
      values: {
        name: prefix,
        primaryRegion: 'fra1',
        secondaryRegion: 'ams3',
        timezone: 'Europe/Berlin',
      },
      registries: { [`${prefix}-fra1`]: 'fra1', [`${prefix}-ams3`]: 'ams3' },
    },
  };
}

/** Every Template in templates/, as file name and entity name. */
export const TEMPLATES = fs
  .readdirSync(templatesDir)
  .filter(file => file.endsWith('.yaml'))
  .map(file => ({ file, entity: loadTemplate(file) }))
  .filter(({ entity }) => entity?.kind === 'Template')
  .map(({ file, entity }) => ({ file, name: entity.metadata.name as string }));

/** The tier's position in the emulator's catalogue, cheapest first (by price, as the action). */
export function tierRank(
  emulator: DoEmulator,
  slug: string | undefined,
): number {
  const tiers = [...emulator.account.tiers].sort(
    (a, b) => (a.monthly_price_in_cents ?? 0) - (b.monthly_price_in_cents ?? 0),
  );
  return tiers.findIndex(t => t.slug === slug);
}

export function dryRunLog(res: { body: any }): string {
  return (res.body.log ?? []).map((l: any) => l.body.message).join('\n');
}

export async function dryRun(portal: Portal, file: string, values: object) {
  return portal.api.post('/api/scaffolder/v2/dry-run', {
    template: loadTemplate(file),
    values,
    directoryContents: [],
  });
}

/** Registry names and regions in the emulated account. */
export function registriesIn(emulator: DoEmulator): Record<string, string> {
  return Object.fromEntries(
    [...emulator.account.registries.values()].map(r => [r.name, r.region]),
  );
}
