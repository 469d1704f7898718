export { docrApiRef, type DocrApi } from './DocrApi';
export { DocrClient } from './DocrClient';
