export { docrApiRef, type DocrApi, type RetentionPreviewPage } from './DocrApi';
export { DocrClient } from './DocrClient';
export { registryRefOf, type DocrRegistryRef } from './registryRef';
