export interface StorageSample {
  registryName: string;
  storageBytes: number;
  sampledAt: Date;
  /** Taken from a listing of every registry (the hourly sample) rather than one registry. */
  fullListing?: boolean;
}

/** One account's storage samples of registries, and its full listings. */
export interface StorageStore {
  insertSamples(samples: StorageSample[]): Promise<void>;
  /** Records a full listing of the account, with its samples (none when it has no registry). */
  recordListing(samples: StorageSample[], listedAt: Date): Promise<void>;
  /**
   * The account's registries as far as we know: those of the newest listing, and those sampled
   * since (created through the portal after it), so the account's figures count a new registry
   * at once instead of after the next listing.
   */
  currentRegistryNames(): Promise<string[]>;
  /** When the account was last listed in full. */
  lastListingAt(): Promise<Date | undefined>;
  /** The registries of the newest full listing: the registry set the tick works on. */
  latestListing(): Promise<StorageSample[]>;
  /**
   * The newest sample of each named registry, from a full listing or not (one after a GC is
   * newer than the hourly listing).
   */
  newestSamples(names: string[]): Promise<Map<string, StorageSample>>;
  /** The newest sample of one registry, from a full listing or not. */
  latestSample(registryName: string): Promise<StorageSample | undefined>;
  listSamples(registryName: string, since: Date): Promise<StorageSample[]>;
  /**
   * Deletes the samples taken before `before` (returns how many) and the listings made before
   * it, except the newest listing whatever its age: it says which registries exist.
   */
  prune(before: Date): Promise<number>;
}
