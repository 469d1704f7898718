import request from 'supertest';
import {
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';

export type TestBackend = Awaited<ReturnType<typeof startTestBackend>>;

/** Config for a catalog reading the emulator through one provider. */
export function catalogConfig(
  emulatorUrl: string,
  provider: Record<string, unknown> = {},
) {
  return {
    // The emulator accepts any bearer token.
    digitalocean: { apiUrl: emulatorUrl, token: 'emulator', maxRetries: 1 },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'API',
            'Location',
            'Resource',
            'System',
            'Group',
          ],
        },
      ],
      providers: {
        digitalocean: {
          default: {
            owner: 'group:default/platform',
            lifecycle: 'production',
            system: 'system:default/delivery',
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 3 } },
            // Tests ask for runs back to back; the refresh limits' own tests set theirs.
            refresh: {
              minInterval: { seconds: 0 },
              perUser: { requests: 10_000 },
            },
            ...provider,
          },
        },
      },
    },
  };
}

export async function resources(backend: TestBackend): Promise<Entity[]> {
  const res = await request(backend.server)
    .get('/api/catalog/entities/by-query?filter=kind=resource&limit=1000')
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Polls the catalog until `check` passes (processing and stitching run in the background). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => void,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}

export const names = (entities: Entity[]) =>
  entities.map(e => e.metadata.name).sort();

export const byName = (entities: Entity[], name: string) =>
  entities.find(e => e.metadata.name === name);

export const relations = (entity: Entity | undefined, type: string) =>
  (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

type Decision = Awaited<
  ReturnType<PermissionsService['authorize']>
>[number]['result'];

/** The user the permissions below deny everything. */
export const DENIED_USER = 'user:default/denied';

/**
 * A permissions service that denies every permission to {@link DENIED_USER} and allows the rest,
 * so that one backend serves an allowed and a denied user.
 */
export const permissionsDenyingOneUser = createServiceFactory({
  service: coreServices.permissions,
  deps: { auth: coreServices.auth },
  factory: ({ auth }): PermissionsService => {
    const decide = (credentials: Parameters<typeof auth.isPrincipal>[0]) =>
      // AuthorizeResult.DENY / ALLOW, without a dependency for the enum.
      (auth.isPrincipal(credentials, 'user') &&
      credentials.principal.userEntityRef === DENIED_USER
        ? 'DENY'
        : 'ALLOW') as Decision;
    return {
      authorize: async (requests, { credentials }) =>
        requests.map(() => ({ result: decide(credentials) })) as any,
      authorizeConditional: async (requests, { credentials }) =>
        requests.map(() => ({ result: decide(credentials) })) as any,
    };
  },
});
