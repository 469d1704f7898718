import { DoEmulator } from '@backstage-docr/do-emulator';
import { GcPolicyInput, WEEKDAYS } from '@backstage-docr/plugin-docr-common';
import { MIB } from './settings';

export const ALL_DAYS = WEEKDAYS;
export const NAMES = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
];

export type Window = GcPolicyInput['windows'] extends (infer W)[] | undefined
  ? W
  : never;
export const win = (
  days: readonly string[],
  start: string,
  duration: string,
  timezone: string,
): Window => ({ days: [...days] as Window['days'], start, duration, timezone });

export interface Ctx {
  emulator: DoEmulator;
  note(event: string): void;
}

export interface AccountSpec {
  id: string;
  prefix: string;
  /** Time each GC status lasts on DigitalOcean: a GC takes 4 of them. */
  gcStepMin: number;
  defaultPolicy: GcPolicyInput;
  configPolicies?: Record<string, GcPolicyInput>;
  retention?: object;
  apiPolicies: Record<string, GcPolicyInput>;
  events: Array<{ at: string; run(ctx: Ctx): void }>;
  /** Deleted at the first minute after `after` when its GC is running on DigitalOcean. */
  deleteDuringGc?: { registry: string; after: string };
}

export function layers() {
  return [{ size: 5 * MIB }, { size: 20 * MIB }];
}
