export { docrApiRef, type DocrApi } from './DocrApi';
export { DocrClient } from './DocrClient';
export { registryRefOf, type DocrRegistryRef } from './registryRef';
