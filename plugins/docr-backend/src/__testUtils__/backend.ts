import {
  SchedulerService,
  SchedulerServiceTaskFunction,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import type { Knex } from 'knex';
import request from 'supertest';
import docrPlugin from '..';
import { docrClockServiceRef } from '../clock';
import { GC_TASK_ID } from '../plugin';

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

/**
 * An account of two registries: acme-dev's `web:latest` (20 MiB) pushed three times, so that GC
 * has untagged manifests to free, and acme-prod's `api:latest` (10 MiB) pushed `prodPushes`
 * times (once when not given).
 */
export function acmeSeed(prodPushes?: number): EmulatorSeed {
  return {
    account: { subscriptionTier: 'professional' },
    registries: [
      {
        name: 'acme-dev',
        images: [{ repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 }],
      },
      {
        name: 'acme-prod',
        images: [
          {
            repository: 'api',
            tag: 'latest',
            sizeMiB: 10,
            ...(prodPushes === undefined ? {} : { pushes: prodPushes }),
          },
        ],
      },
    ],
  };
}

/**
 * Resolves once `condition` holds, checking between turns of the event loop. It has no deadline
 * of its own: the test's timeout bounds it, so a busy machine only makes it slower, never wrong.
 */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5));
}

export interface DocrTestBackend {
  backend: Awaited<ReturnType<typeof startTestBackend>>;
  /** Runs the GC task once, as the scheduler would (with its abort signal). */
  tick(signal?: AbortSignal): Promise<void>;
  api(
    method: 'get' | 'put' | 'post',
    path: string,
    body?: unknown,
    auth?: string | null,
  ): Promise<request.Response>;
  stop(): Promise<void>;
}

/**
 * A plugin scheduler that runs nothing by itself: tests run the GC task with `tick`, as the
 * real scheduler would (with an abort signal), at the moments they choose.
 */
function recordingScheduler() {
  const tasks = new Map<string, SchedulerServiceTaskFunction>();
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: (): SchedulerService => ({
      async scheduleTask(task) {
        tasks.set(task.id, task.fn);
      },
      createScheduledTaskRunner: () => ({
        run: async task => {
          tasks.set(task.id, task.fn);
        },
      }),
      async triggerTask(id) {
        await tasks.get(id)!(new AbortController().signal);
      },
      async getScheduledTasks() {
        return [];
      },
      async cancelTask() {},
    }),
  });
  return {
    factory,
    run: async (id: string, signal: AbortSignal) => {
      const fn = tasks.get(id);
      if (!fn) throw new Error(`Task ${id} was not scheduled`);
      await fn(signal);
    },
  };
}

export async function startDocrBackend(options: {
  emulatorUrl: string;
  /** The emulator's registry host (`emulator.registryUrl`), read by retention's image graph. */
  registryUrl?: string;
  clock: TestClock;
  docr?: object;
  knex?: Knex;
  features?: any[];
  /** More of the `digitalocean` block (e.g. a request timeout). */
  digitalocean?: object;
  /** More top-level config (e.g. `permission`, `catalog`). */
  config?: object;
}): Promise<DocrTestBackend> {
  const scheduler = recordingScheduler();
  const backend = await startTestBackend({
    features: [
      docrPlugin,
      createServiceFactory({
        service: docrClockServiceRef,
        deps: {},
        factory: () => ({ now: () => new Date(options.clock.ms) }),
      }),
      scheduler.factory,
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          digitalocean: {
            apiUrl: options.emulatorUrl,
            ...(options.registryUrl
              ? {
                  registryUrl: options.registryUrl,
                  // The emulator on this machine: no pace DOCR would need.
                  registryHost: { maxConcurrency: 8, requestsPerSecond: 1000 },
                }
              : {}),
            token: 'test',
            maxRetries: 1,
            ...options.digitalocean,
          },
          docr: options.docr ?? {},
          ...options.config,
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
    tick: (signal = new AbortController().signal) =>
      scheduler.run(GC_TASK_ID, signal),
    api: (method, path, body, auth = mockCredentials.user.header()) => {
      let req = request(backend.server)[method](`/api/docr${path}`);
      if (auth) req = req.set('authorization', auth);
      return body === undefined ? req : req.send(body as object);
    },
    stop: () => backend.stop(),
  };
}

/** What a test harness starts: the emulator, the docr backend reading it, and their clock. */
export interface StartedSetUp {
  clock: TestClock;
  emulator: DoEmulator;
  docr: DocrTestBackend;
}

/**
 * The base of a suite's harness (made inside a `describe`): it holds the set-up the suite's
 * `start` made last, reads its `clock`, `emulator` and `docr` (throwing before any start), and
 * `stop`s its backend and emulator (registered by the harness as an `afterEach` or `afterAll`).
 * Subclasses' functions are bound (arrow properties), so tests may take them out of it.
 */
export class SetUpHarness<T extends StartedSetUp> {
  private started: T | undefined;

  /** The last start's set-up. */
  protected get current(): T {
    if (!this.started) throw new Error('start() the backend first');
    return this.started;
  }

  protected set current(started: T) {
    this.started = started;
  }

  get clock(): TestClock {
    return this.current.clock;
  }

  get emulator(): DoEmulator {
    return this.current.emulator;
  }

  get docr(): DocrTestBackend {
    return this.current.docr;
  }

  /** Stops the backend and the emulator started last, if any. */
  readonly stop = async () => {
    await this.started?.docr.stop();
    await this.started?.emulator.stop();
    this.started = undefined;
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
