import type { RegistryStorage } from '../model/registryStorage';
import { denied } from './response';
import type { RepositoryCall } from './routes';

/**
 * DOCR turns a registry read-only while a garbage collection runs (any status before a terminal
 * one): writes get 403 DENIED until it ends. Our reading of DOCR's behaviour.
 */
export function assertWritesAllowed(call: RepositoryCall): void {
  call.account.settle();
  const active = call.account.activeGc(call.registry);
  if (active) {
    throw denied(
      `registry ${call.registry.name} is in read-only mode for garbage collection ${active.uuid} (${active.status}); push again once it has ended`,
    );
  }
}

/**
 * A change to the registry's content through the account, which applies the tier's limits
 * (`createsRepository`, `addedBytes`) and dates the change of the reported storage.
 */
export function writeContent<T>(
  call: RepositoryCall,
  createsRepository: boolean,
  addedBytes: (storage: RegistryStorage) => number,
  change: (storage: RegistryStorage) => T,
): T {
  assertWritesAllowed(call);
  return call.account.writeContent(
    call.registry.name,
    createsRepository ? call.repository : undefined,
    addedBytes,
    change,
  );
}
