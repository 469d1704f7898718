/**
 * An emulator of DigitalOcean's Container Registry and DOKS registry-integration API.
 *
 * @packageDocumentation
 */

export { DoEmulator, type DoEmulatorOptions } from './http/server';
export { createOpenApiValidator } from './http/openApiValidation';
export type { FaultRule, FaultSettings } from './http/Faults';
export type { RequestEntry } from './http/RequestLog';
export { EmulatedAccount } from './model/account';
export type { Layer, PushResult } from './model/registryStorage';
export { GC_PROGRESS, TERMINAL_GC_STATUSES } from './model/garbageCollection';
export { DEFAULT_TIERS, DEFAULT_REGIONS } from './model/tiers';
export {
  loadSeedFile,
  type EmulatorSeed,
  type SeedCiHistory,
  type SeedImage,
  type SeedOciImage,
  type SeedRegistry,
  type SeedApp,
  type SeedAppImage,
  type SeedCluster,
  type SeedWorkload,
} from './seed';
export { KubernetesClusters } from './kubernetes/KubernetesClusters';
export { ClusterWorkloads } from './kubernetes/ClusterWorkloads';
export type { KubeObject } from './kubernetes/objects';
export { demoSeedPath, ciHistorySeedPath } from './demoSeed';
export { commitTag } from './seedHistory';
export { main } from './cli';
export { ManualClock } from './ManualClock';
export {
  registryPusher,
  RegistryPusher,
  type PushedDescriptor,
  type PushedPlatform,
} from './registryPusher';
