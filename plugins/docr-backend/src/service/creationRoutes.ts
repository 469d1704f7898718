import { ConflictError, NotAllowedError } from '@backstage/errors';
import { docrRegistryCreatePermission } from '@backstage-docr/plugin-docr-common';
import type { RegistryAccess } from './RegistryAccess';
import type { KnownRegistries } from './KnownRegistries';
import { NEW_REGISTRY_GRACE_MS } from './policyGrant';
import type { RegistryCreationStore } from './RegistryCreationStore';
import { typedRouter, type ApiRequest } from './typedRouter';

/**
 * `POST /registries/:name/creation`: the scaffolder, as the user, records that it creates the
 * registry for that user, before DigitalOcean creates it. Needs `docr.registry.create` on the
 * account's subscription entity; never calls DigitalOcean. The record lets that user alone store
 * the registry's first policy (`policyGrant`); another user's record holds for 30 minutes (409),
 * and a registry the account already has cannot be claimed by a new record (409): its first
 * policy needs `docr.policy.update` on its entity.
 */
export function creationRoutes(options: {
  access: RegistryAccess;
  creations: RegistryCreationStore;
  registries: Pick<KnownRegistries, 'find'>;
  account: string;
  registryName: (req: ApiRequest<{ name: string }>) => string;
  now: () => Date;
}) {
  const { access, creations, registries, account, now } = options;
  const router = typedRouter();
  router.post('/registries/:name/creation', async (req, res) => {
    const creds = await access.credentials(req);
    const name = options.registryName(req);
    const creation = await access.audited(
      req,
      creds,
      'registry-creation-record',
      { registry: name },
      async () => {
        await access.authorizeOnSubscription(
          creds,
          docrRegistryCreatePermission,
        );
        const { principal } = creds;
        if (principal.type !== 'user')
          throw new NotAllowedError(
            'Only a user can be recorded as the creator of a registry',
          );
        const existing = await creations.find(account, name);
        if (
          existing?.createdBy !== principal.userEntityRef &&
          (await registries.find(name))
        )
          throw new ConflictError(
            `Registry "${name}" already exists in the account; its policy needs docr.policy.update on its entity`,
          );
        const recordedAt = now();
        const held = await creations.record(
          {
            account,
            registryName: name,
            createdBy: principal.userEntityRef,
            recordedAt,
          },
          new Date(recordedAt.getTime() - NEW_REGISTRY_GRACE_MS),
        );
        if (held.createdBy !== principal.userEntityRef)
          throw new ConflictError(
            `Registry "${name}" is being created for ${held.createdBy} (recorded ${held.recordedAt.toISOString()})`,
          );
        return { result: held };
      },
    );
    res.status(201).json({
      registryName: creation.registryName,
      createdBy: creation.createdBy,
      recordedAt: creation.recordedAt.toISOString(),
    });
  });
  return router;
}
