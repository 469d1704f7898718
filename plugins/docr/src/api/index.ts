export {
  docrApiRef,
  type DocrApi,
  type RetentionPreviewPage,
  type SavingsQuery,
  type SavingsSubject,
} from './DocrApi';
export { DocrClient } from './DocrClient';
export { registryRefOf, type DocrRegistryRef } from './registryRef';
