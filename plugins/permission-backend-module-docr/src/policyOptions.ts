import type { Config } from '@backstage/config';
import type { DocrOwnersPermissionPolicy } from './DocrOwnersPermissionPolicy';
import { parseEntityRef } from '@backstage/catalog-model';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-common';

/**
 * Who reads registries (`docr.registry.read`): `everyone` signed in (the default), or only
 * their `owners` (and the configured readers), for companies that keep teams apart.
 *
 * @public
 */
export type DocrReadModel = 'everyone' | 'owners';

/**
 * What {@link DocrOwnersPermissionPolicy} needs to know: the provider accounts and the read model.
 *
 * @public
 */
export interface DocrOwnersPermissionPolicyOptions {
  /**
   * The DigitalOcean accounts whose catalog provider's entities carry rights (the `account` of
   * each entry under `catalog.providers.digitalocean`). An entity no such provider emitted
   * grants nothing.
   */
  providerAccounts: string[];
  /** Who reads registries; `everyone` by default. */
  readModel?: DocrReadModel;
  /**
   * With the `owners` read model: users and groups (entity refs, e.g. `group:default/platform`)
   * that read every registry of every account.
   */
  readers?: string[];
}

const READ_MODELS: DocrReadModel[] = ['everyone', 'owners'];

/**
 * The policy's options from config: the accounts of `catalog.providers.digitalocean`, and
 * `docr.permissions` (`readModel`, `readers`). Mistakes fail with the key that holds them.
 */
export function readPolicyOptions(
  config: Config,
): DocrOwnersPermissionPolicyOptions {
  const providers = config.getOptionalConfig('catalog.providers.digitalocean');
  const providerAccounts = [
    ...new Set(
      (providers?.keys() ?? []).map(
        id =>
          providers!.getConfig(id).getOptionalString('account') ??
          DEFAULT_ACCOUNT_ID,
      ),
    ),
  ];
  const block = config.getOptionalConfig('docr.permissions');
  const readModel = (block?.getOptionalString('readModel') ??
    'everyone') as DocrReadModel;
  if (!READ_MODELS.includes(readModel)) {
    throw new Error(
      `docr.permissions.readModel must be one of ${READ_MODELS.join(', ')}; got "${readModel}"`,
    );
  }
  const readers = block?.getOptionalStringArray('readers') ?? [];
  readers.forEach((ref, index) => {
    try {
      parseEntityRef(ref);
    } catch {
      throw new Error(
        `docr.permissions.readers[${index}] "${ref}" is not an entity ref, e.g. group:default/platform`,
      );
    }
  });
  if (readers.length && readModel !== 'owners') {
    throw new Error(
      'docr.permissions.readers applies to the owners read model only: set docr.permissions.readModel to owners, or remove the readers',
    );
  }
  return { providerAccounts, readModel, readers };
}
