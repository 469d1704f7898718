import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { assertError } from '@backstage/errors';
import { Config } from '@backstage/config';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-node';

export interface DigitalOceanProviderConfig {
  id: string;
  account: string;
  owner: string;
  system?: string;
  lifecycle: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const KNOWN_KEYS = [
  'account',
  'owner',
  'system',
  'lifecycle',
  'schedule',
  'refresh',
];

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 15 },
};

/**
 * Reads `catalog.providers.digitalocean`. Every mistake fails with the config key that holds it,
 * so a bad config stops the backend at start-up rather than emitting nothing.
 */
export function readProviderConfigs(
  config: Config,
): DigitalOceanProviderConfig[] {
  const block = config.getOptionalConfig('catalog.providers.digitalocean');
  if (!block) return [];
  return block.keys().map(id => {
    const key = `catalog.providers.digitalocean.${id}`;
    const provider = block.getConfig(id);
    const unknown = provider.keys().filter(k => !KNOWN_KEYS.includes(k));
    if (unknown.length) {
      throw new Error(
        `${key}.${unknown[0]} is not a known option; use ${KNOWN_KEYS.join(', ')}`,
      );
    }
    if (!/^[a-zA-Z0-9_-]+$/.test(id)) {
      throw new Error(
        `${key}: provider ids may use letters, digits, "-" and "_" only`,
      );
    }
    const owner = provider.getOptionalString('owner');
    if (!owner) {
      throw new Error(
        `${key}.owner is required: the owner of the emitted entities, e.g. group:default/platform`,
      );
    }
    checkRef(`${key}.owner`, owner, 'group');
    const system = provider.getOptionalString('system');
    if (system) checkRef(`${key}.system`, system, 'system');
    let schedule = DEFAULT_SCHEDULE;
    if (provider.has('schedule')) {
      try {
        schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
          provider.getConfig('schedule'),
        );
      } catch (error) {
        assertError(error);
        throw new Error(
          `${key}.schedule is not a valid schedule: ${error.message}`,
        );
      }
    }
    return {
      id,
      account: provider.getOptionalString('account') ?? DEFAULT_ACCOUNT_ID,
      owner,
      system,
      lifecycle: provider.getOptionalString('lifecycle') ?? 'production',
      schedule,
    };
  });
}

function checkRef(key: string, ref: string, defaultKind: string) {
  try {
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch (error) {
    assertError(error);
    throw new Error(`${key} is not an entity reference: ${error.message}`);
  }
}
