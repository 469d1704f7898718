import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** The docr plugin's notion of now; tests replace it to move through GC windows. */
export interface DocrClock {
  now(): Date;
}

export const docrClockServiceRef = createServiceRef<DocrClock>({
  id: 'docr.clock',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => new Date() }),
    }),
});
