import path from 'node:path';
import fs from 'node:fs';
import yaml from 'js-yaml';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
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

/** A backend with the catalog, the scaffolder, the docr backend and our modules, on the emulator. */
export async function startPortal(options: {
  emulatorUrl: string;
  token?: string;
}) {
  const backend = await startTestBackend({
    features: [
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
          digitalocean: {
            apiUrl: options.emulatorUrl,
            maxRetries: 1,
            ...(options.token ? { token: options.token } : {}),
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
                target: path.join(templatesDir, 'catalog-info.yaml'),
              },
            ],
            providers: {
              digitalocean: { default: { owner: 'group:default/platform' } },
            },
          },
        },
      }),
    ],
  });
  const auth = mockCredentials.user.header();
  const api = {
    get: (url: string) =>
      request(backend.server).get(url).set('authorization', auth),
    post: (url: string, body: object) =>
      request(backend.server).post(url).set('authorization', auth).send(body),
  };

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

  /** Starts a task from a catalog template and waits for it to end. */
  async function runTask(templateName: string, values: object) {
    await waitFor(
      () =>
        api.get(
          `/api/catalog/entities/by-name/template/default/${templateName}`,
        ),
      res => res.status === 200,
    );
    const created = await api.post('/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${templateName}`,
      values,
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

  return {
    backend,
    api,
    runTask,
    waitForTask,
    waitFor,
    stop: () => backend.stop(),
  };
}
