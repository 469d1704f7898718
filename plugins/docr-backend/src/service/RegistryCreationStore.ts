/** A registry the scaffolder creates for a user, as the docr backend recorded it. */
export interface RegistryCreation {
  account: string;
  registryName: string;
  /** The user entity ref the registry is created for. */
  createdBy: string;
  recordedAt: Date;
}

/**
 * Who each new registry is created for: the user whose first policy the docr backend accepts
 * before the catalog has the registry's entity. Shared by every replica.
 */
export interface RegistryCreationStore {
  /**
   * Records the creation unless another user's record of the same registry was made at or
   * after `staleBefore` (that one holds); a record of the same user is renewed. Atomic: of two
   * users recording at once, one wins. Returns the record that holds.
   */
  record(
    creation: RegistryCreation,
    staleBefore: Date,
  ): Promise<RegistryCreation>;
  /** The record of the registry, if any. */
  find(
    account: string,
    registryName: string,
  ): Promise<RegistryCreation | undefined>;
  /** Forgets the record: the registry has its first policy. */
  end(account: string, registryName: string): Promise<void>;
}
