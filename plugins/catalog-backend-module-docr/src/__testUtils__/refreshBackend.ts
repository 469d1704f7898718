import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  DoEmulator,
  ManualClock,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import catalogModule from '..';
import {
  TestBackend,
  catalogConfig,
  eventually,
  permissionsDenyingOneUser,
} from './harness';

/** The scheduled task of the `default` provider, which the refresh route triggers. */
export const REFRESH_TASK = 'digitalocean-provider:default:refresh';

/** The scheduler's view of {@link REFRESH_TASK}, as the catalog's scheduler API lists it. */
export async function refreshTask(backend: TestBackend) {
  const res = await request(backend.server)
    .get('/api/catalog/.backstage/scheduler/v1/tasks')
    .set('authorization', mockCredentials.service.header());
  expect(res.status).toBe(200);
  return (res.body.tasks as any[]).find(t => t.taskId === REFRESH_TASK);
}

/**
 * The refresh route's tests' backend: the catalog with this module and the real scheduler, the
 * provider reading the emulator's demo account, everyone allowed but
 * `DENIED_USER` (`permissionsDenyingOneUser`).
 * Returns once the first scheduled run, at start-up, is over. The emulator's time is `clock`'s,
 * and with `holdLatency` its added latency waits on `clock` too, so a run lasts until the test
 * moves it. `refresh` sets the provider's `refresh` config.
 */
export async function startRefreshBackend(options: {
  clock: ManualClock;
  holdLatency?: boolean;
  refresh?: object;
}): Promise<{ emulator: DoEmulator; backend: TestBackend }> {
  const { clock } = options;
  const emulator = await DoEmulator.start({
    seed: loadSeedFile(demoSeedPath),
    clock: clock.now,
    ...(options.holdLatency ? { sleep: clock.sleep } : {}),
  });
  let backend: TestBackend | undefined;
  try {
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModule,
        schedulerServiceFactory,
        permissionsDenyingOneUser,
        mockServices.rootConfig.factory({
          data: catalogConfig(
            emulator.url,
            options.refresh ? { refresh: options.refresh } : {},
          ),
        }),
      ],
    });
    const started = backend;
    await eventually(
      () => refreshTask(started),
      t => {
        if (t?.taskState?.status !== 'idle' || !t.taskState.lastRunEndedAt) {
          throw new Error(
            `The first run is not over: ${JSON.stringify(t?.taskState)}`,
          );
        }
      },
      30_000,
    );
    return { emulator, backend };
  } catch (error) {
    await backend?.stop();
    await emulator.stop();
    throw error;
  }
}
