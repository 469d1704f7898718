/**
 * The docr backend plugin: garbage collection of DigitalOcean Container Registries inside
 * configured windows.
 *
 * @packageDocumentation
 */

export { docrPlugin as default, GC_TASK_ID } from './plugin';
export { docrClockServiceRef, type DocrClock } from './clock';
export {
  GarbageCollector,
  contentFingerprint,
  type TickReport,
} from './gc/GarbageCollector';
export {
  DocrStore,
  type GcRun,
  type StorageSample,
} from './database/DocrStore';
export { readDocrConfig, type DocrBackendConfig } from './config';
export { PolicyResolver, type EffectivePolicy } from './policies';
