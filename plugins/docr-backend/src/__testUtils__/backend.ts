import {
  SchedulerService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import docrPlugin, { GC_TASK_ID, docrClockServiceRef } from '..';

/** A clock tests move by hand; shared by the backend and the emulator. */
export class TestClock {
  constructor(public ms: number) {}
  set(iso: string) {
    this.ms = Date.parse(iso);
  }
  advance(ms: number) {
    this.ms += ms;
  }
  now = () => this.ms;
}

export const MINUTE = 60_000;

export interface DocrTestBackend {
  backend: Awaited<ReturnType<typeof startTestBackend>>;
  /** Runs the GC task once, as the scheduler would. */
  tick(): Promise<void>;
  api(
    method: 'get' | 'put' | 'post',
    path: string,
    body?: unknown,
    auth?: string | null,
  ): Promise<request.Response>;
  stop(): Promise<void>;
}

export async function startDocrBackend(options: {
  emulatorUrl: string;
  clock: TestClock;
  docr?: object;
  knex?: Knex;
  features?: any[];
}): Promise<DocrTestBackend> {
  let scheduler: SchedulerService | undefined;
  const captureScheduler = createBackendModule({
    pluginId: 'docr',
    moduleId: 'capture-scheduler',
    register(env) {
      env.registerInit({
        deps: { pluginScheduler: coreServices.scheduler },
        async init({ pluginScheduler }) {
          scheduler = pluginScheduler;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      docrPlugin,
      captureScheduler,
      createServiceFactory({
        service: docrClockServiceRef,
        deps: {},
        factory: () => ({ now: () => new Date(options.clock.ms) }),
      }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          digitalocean: { apiUrl: options.emulatorUrl, maxRetries: 1 },
          docr: options.docr ?? {},
        },
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.features ?? []),
    ],
  });
  return {
    backend,
    tick: () => scheduler!.triggerTask(GC_TASK_ID),
    api: (method, path, body, auth = mockCredentials.user.header()) => {
      let req = request(backend.server)[method](`/api/docr${path}`);
      if (auth) req = req.set('authorization', auth);
      return body === undefined ? req : req.send(body as object);
    },
    stop: () => backend.stop(),
  };
}

export const weeklySundayWindow = (
  timezone = 'UTC',
  start = '03:00',
  duration = 'PT1H',
) => ({
  garbageCollection: {
    default: { windows: [{ days: ['sun'], start, duration, timezone }] },
  },
});
