import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { digitalOceanProviderLocation } from '@backstage-docr/plugin-docr-common';
import permissionModule from '../';

/** Which groups each test user is a member of, as a sign-in resolver would put them. */
export const MEMBERSHIP: Record<string, string[]> = {
  'user:default/olivia': ['group:default/platform'],
  'user:default/alice': ['group:default/team-a'],
  'user:default/bob': ['group:default/team-b'],
  'user:default/ada': ['group:default/auditors'],
};

const userInfoWithGroups = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERSHIP[ref] ?? [])],
      };
    },
  }),
});

/**
 * Backstage's mock auth, except that a plugin's token on behalf of a user carries the plugin as
 * its actor, as real on-behalf-of tokens do: the permission backend then asks the catalog to
 * apply the owner condition as a service, which the catalog requires.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const auth = mockServices.auth({ pluginId });
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const principal = options.onBehalfOf.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user') return getPluginRequestToken(options);
      return {
        token: mockCredentials.user.token(principal.userEntityRef!, {
          actor: { subject: `plugin:${pluginId}` },
        }),
      };
    };
    return auth;
  },
});

/** A Resource as the DigitalOcean provider of `account` emits it (its location pair). */
export function providerEntity(
  account: string,
  name: string,
  type: string,
  owner: string,
): Entity {
  const location = digitalOceanProviderLocation(account);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: account,
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
    spec: { type, owner },
  };
}

/** Stands in for the DigitalOcean provider: emits the given entities once, with its location key. */
function providerModule(entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-digitalocean-provider',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'digitalocean-provider:test',
            async connect(connection) {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'digitalocean-provider:test',
                })),
              });
            },
          });
        },
      });
    },
  });
}

export type PolicyBackend = Awaited<ReturnType<typeof startPolicyBackend>>;

/**
 * A backend with the permission backend, the shipped policy and the catalog, which holds the
 * provider's entities and those `registered` reads from a file location (as a user registers
 * one). Resolves once the catalog holds every entity named in `waitFor`.
 */
export async function startPolicyBackend(options: {
  provided: Entity[];
  registered: string;
  waitFor: string[];
  config?: object;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-policy-'));
  const file = path.join(dir, 'registered.yaml');
  fs.writeFileSync(file, options.registered);
  const backend = await startTestBackend({
    features: [
      permissionPlugin,
      permissionModule,
      catalogPlugin,
      providerModule(options.provided),
      userInfoWithGroups,
      authWithActors,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          catalog: {
            rules: [{ allow: ['Resource', 'Location'] }],
            locations: [{ type: 'file', target: file }],
            providers: {
              digitalocean: { default: {}, 'team-b': { account: 'team-b' } },
            },
          },
          ...options.config,
        },
      }),
    ],
  });
  // The catalog reads the location and the provider's entities in the background; the test's
  // timeout bounds the wait.
  for (const ref of options.waitFor) {
    for (;;) {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/${ref.replace(/[:]/, '/')}`)
        .set('Authorization', mockCredentials.service.header());
      if (res.status === 200) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  /** The decisions for `user`'s items, in order: 'ALLOW' or 'DENY'. */
  async function decide(
    user: string | undefined,
    items: Array<{ permission: object; resourceRef?: string }>,
  ): Promise<string[]> {
    const req = request(backend.server).post('/api/permission/authorize');
    if (user) req.set('Authorization', mockCredentials.user.header(user));
    const res = await req.send({
      items: items.map((item, i) => ({ id: String(i), ...item })),
    });
    if (res.status !== 200) {
      throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body.items.map((i: any) => i.result);
  }

  return { decide, stop: () => backend.stop() };
}
