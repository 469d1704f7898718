import path from 'node:path';
import fs from 'node:fs';
import yaml from 'js-yaml';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleDocr from '@backstage-docr/plugin-permission-backend-module-docr';
import catalogTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModule from '@backstage-docr/plugin-catalog-backend-module-docr';
import docrPlugin from '@backstage-docr/plugin-docr-backend';
import scaffolderModule from '..';

export const templatesDir = path.resolve(__dirname, '../../../../templates');

export function loadTemplate(file: string) {
  return yaml.load(
    fs.readFileSync(path.join(templatesDir, file), 'utf8'),
  ) as any;
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/**
 * The test organisation: which groups each user is a member of. The DigitalOcean entities are
 * owned by group:default/platform (the provider's owner below), unless a test gives an account
 * to another team (`owners`).
 */
export const USERS = {
  /** mockCredentials' default user, the one the api helper acts as: a platform member. */
  platform: 'user:default/mock',
  /** Another platform member. */
  owner: 'user:default/olivia',
  /** A member of another team: owns none of the registries. */
  outsider: 'user:default/alice',
  /** A member of a third team, team-b. */
  teamB: 'user:default/bob',
};
const MEMBERSHIP: Record<string, string[]> = {
  [USERS.platform]: ['group:default/platform'],
  [USERS.owner]: ['group:default/platform'],
  [USERS.outsider]: ['group:default/team-a'],
  [USERS.teamB]: ['group:default/team-b'],
};

/**
 * Backstage's mock auth, except that a plugin's token on behalf of a user carries the plugin as
 * its actor, as real on-behalf-of tokens do. Without it the permission backend takes every
 * forwarded request for a direct user request and refuses resource permissions without a
 * resourceRef (the catalog's list filtering).
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

const userInfoWithGroups = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user')
        throw new Error(`No user info for a ${principal.type} principal`);
      const ref = principal.userEntityRef!;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERSHIP[ref] ?? [])],
      };
    },
  }),
});

/** The catalog's refresh route may start runs back to back: tests wait for new entities. */
const backToBack = {
  minInterval: { seconds: 0 },
  perUser: { requests: 10_000 },
};

/** A backend with the catalog, the scaffolder, the docr backend and our modules, on the emulator. */
export async function startPortal(options: {
  emulatorUrl: string;
  token?: string;
  /** More catalog locations (e.g. test templates), absolute file paths. */
  locations?: string[];
  /** Extra config under `scaffolder`. */
  scaffolderConfig?: object;
  /** More DigitalOcean accounts (each its own emulator), read by the catalog too. */
  accounts?: { id: string; apiUrl: string }[];
  /** The group owning each account's entities (default: group:default/platform). */
  owners?: Record<string, string>;
  /** More top-level config (e.g. `docr`). */
  config?: object;
}) {
  const ownerOf = (account: string) =>
    options.owners?.[account] ?? 'group:default/platform';
  const accounts = options.accounts ?? [];
  const backend = await startTestBackend({
    features: [
      permissionPlugin,
      // The policy a platform team would install: owners act on their registries, everyone reads.
      permissionModuleDocr,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      userInfoWithGroups,
      authWithActors,
      catalogPlugin,
      catalogTemplateKind,
      catalogModule,
      scaffolderPlugin,
      scaffolderModule,
      docrPlugin,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          ...options.config,
          ...(options.scaffolderConfig
            ? { scaffolder: options.scaffolderConfig }
            : {}),
          digitalocean: {
            // Declared, as in app-config.yaml: accounts without a token talk to it.
            emulator: { port: Number(new URL(options.emulatorUrl).port) },
            maxRetries: 1,
            ...(options.token ? { token: options.token } : {}),
            ...(accounts.length
              ? {
                  accounts: [
                    { id: 'default' },
                    ...accounts.map(a => ({ ...a, token: `token-${a.id}` })),
                  ],
                }
              : {}),
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Template',
                  'Location',
                  'Resource',
                  'Component',
                  'Group',
                  'System',
                ],
              },
            ],
            locations: [
              {
                type: 'file',
                target: path.join(templatesDir, 'all.yaml'),
              },
              ...(options.locations ?? []).map(target => ({
                type: 'file',
                target,
              })),
            ],
            providers: {
              digitalocean: {
                default: { owner: ownerOf('default'), refresh: backToBack },
                ...Object.fromEntries(
                  accounts.map(a => [
                    a.id,
                    {
                      account: a.id,
                      owner: ownerOf(a.id),
                      refresh: backToBack,
                    },
                  ]),
                ),
              },
            },
          },
        },
      }),
    ],
  });
  /** The HTTP API as a user (mockCredentials' default user unless named). */
  const as = (user?: string) => {
    const auth = mockCredentials.user.header(
      user === USERS.platform ? undefined : user,
    );
    return {
      get: (url: string) =>
        request(backend.server).get(url).set('authorization', auth),
      post: (url: string, body: object) =>
        request(backend.server).post(url).set('authorization', auth).send(body),
      put: (url: string, body: object) =>
        request(backend.server).put(url).set('authorization', auth).send(body),
    };
  };
  const api = as();

  async function waitFor<T>(
    read: () => Promise<T>,
    done: (value: T) => boolean,
    timeoutMs = 30_000,
  ): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `Timed out; last value ${JSON.stringify(value).slice(0, 2000)}`,
        );
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /** Starts a task from a catalog template (as a user) and waits for it to end. */
  async function runTask(
    templateName: string,
    values: object,
    runOptions: { user?: string; secrets?: Record<string, string> } = {},
  ) {
    await waitFor(
      () =>
        api.get(
          `/api/catalog/entities/by-name/template/default/${templateName}`,
        ),
      res => res.status === 200,
    );
    const created = await as(runOptions.user).post('/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${templateName}`,
      values,
      ...(runOptions.secrets ? { secrets: runOptions.secrets } : {}),
    });
    if (created.status !== 201)
      throw new Error(
        `Task not created: ${created.status} ${JSON.stringify(created.body)}`,
      );
    return waitForTask(created.body.id);
  }

  async function waitForTask(id: string) {
    const task = await waitFor(
      () => api.get(`/api/scaffolder/v2/tasks/${id}`),
      res => ['completed', 'failed', 'cancelled'].includes(res.body.status),
    );
    const events = await api.get(`/api/scaffolder/v2/tasks/${id}/events`);
    const log = (events.body as any[])
      .filter(e => e.type === 'log')
      .map(e => e.body.message as string)
      .join('\n');
    return {
      id,
      status: task.body.status as string,
      task: task.body,
      log,
      events: events.body,
    };
  }

  /** Asks the catalog to read DigitalOcean now (every 25 polls), and waits for the entity. */
  async function waitForEntity(kindNamespaceName: string) {
    let polls = 0;
    return waitFor(
      async () => {
        if (polls++ % 25 === 0)
          await api.post('/api/catalog/digitalocean/refresh', {});
        return api.get(`/api/catalog/entities/by-name/${kindNamespaceName}`);
      },
      res => res.status === 200,
    );
  }

  /** Asks the catalog to read DigitalOcean now, and waits for the registry's entity. */
  async function waitForRegistryEntity(
    registryName: string,
    namespace = 'default',
  ) {
    return waitForEntity(`resource/${namespace}/docr-${registryName}`);
  }

  // Creating a registry in an account is a permission on the account's subscription entity: a
  // portal is ready once the catalog has every account's.
  for (const account of ['default', ...accounts.map(a => a.id)]) {
    await waitForEntity(
      `resource/${account}/do-registry-subscription-${account}`,
    );
  }

  return {
    backend,
    api,
    as,
    waitForRegistryEntity,
    runTask,
    waitForTask,
    waitFor,
    stop: () => backend.stop(),
  };
}
