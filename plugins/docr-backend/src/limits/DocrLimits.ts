import { RateLimiter } from '@backstage-docr/plugin-docr-node';
import { DocrLimitsConfig } from './config';

/** Users' registries remembered as charged; the oldest are forgotten first. */
const MAX_COLD_CHARGES = 10_000;

const minutes = (ms: number) => {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
};

/**
 * Whether one account may start a listing from DigitalOcean now: within the account's share of
 * calls for what users ask, and with fewer than the bound under way. The cache asks before each
 * listing and says when it ends; a listing refused is not started (the page is told to come back).
 */
export interface ListingGate {
  tryStart(cost: number): boolean;
  finished(): void;
}

/**
 * What users may spend of each account's DigitalOcean budget (`docr.limits`): per-user limits on
 * the routes that would call DigitalOcean, each account's name checks (more than one user's, so no
 * user alone spends them), and each account's share of calls for the listings pages and previews
 * ask for, with the listings it lets run at once. Held in memory, per replica.
 */
export class DocrLimits {
  readonly nameChecks: RateLimiter;
  readonly coldPreviews: RateLimiter;
  /** Keyed by account: the calls of the listings pages and previews ask for. */
  readonly interactive: RateLimiter;
  /** Keyed by account: name checks that ask DigitalOcean, every user's together. */
  readonly accountNameChecks: RateLimiter;
  private readonly listingsUnderWay = new Map<string, number>();
  /** When each user was last charged for making each registry's preview cold. */
  private readonly coldCharges = new Map<string, number>();
  private readonly nowMs: () => number;

  constructor(
    readonly config: DocrLimitsConfig,
    now: () => Date,
  ) {
    const nowMs = () => now().getTime();
    this.nowMs = nowMs;
    this.nameChecks = new RateLimiter({
      limit: config.nameChecks,
      now: nowMs,
      describe: seconds =>
        `Too many registry name checks that ask DigitalOcean: ${config.nameChecks.requests} every ${minutes(config.nameChecks.perMs)} per user (docr.limits.perUser.nameChecks); try again in ${seconds} s`,
    });
    this.coldPreviews = new RateLimiter({
      limit: config.coldPreviews,
      now: nowMs,
      describe: seconds =>
        `Too many retention previews of registries not listed yet: ${config.coldPreviews.requests} every ${minutes(config.coldPreviews.perMs)} per user (docr.limits.perUser.coldPreviews); try again in ${seconds} s`,
    });
    this.interactive = new RateLimiter({
      limit: config.interactive,
      now: nowMs,
      describe: seconds =>
        `The account's share of DigitalOcean calls for listings (${config.interactive.requests} a minute, docr.limits.interactiveCallsPerMinute) is spent; try again in ${seconds} s`,
    });
    this.accountNameChecks = new RateLimiter({
      limit: config.accountNameChecks,
      now: nowMs,
      describe: seconds =>
        `The account's name checks that ask DigitalOcean (${config.accountNameChecks.requests} a minute, docr.limits.nameCheckCallsPerMinute) are spent; try again in ${seconds} s`,
    });
  }

  /**
   * Charges the user for previewing a registry whose listings are not held, once per registry
   * and period: asking again while it is listed (the page polls) costs nothing more; 429 past
   * the user's limit (`perUser.coldPreviews`).
   */
  chargeColdPreview(user: string, account: string, registry: string): void {
    const key = `${user}\n${account}:${registry}`;
    const chargedAt = this.coldCharges.get(key);
    const nowMs = this.nowMs();
    if (
      chargedAt !== undefined &&
      nowMs - chargedAt < this.config.coldPreviews.perMs
    )
      return;
    this.coldPreviews.take(user);
    this.coldCharges.delete(key);
    this.coldCharges.set(key, nowMs);
    for (const oldest of this.coldCharges.keys()) {
      if (this.coldCharges.size <= MAX_COLD_CHARGES) break;
      this.coldCharges.delete(oldest);
    }
  }

  /** The account's gate for the listings of the repository cache. */
  listingGate(account: string): ListingGate {
    return {
      tryStart: cost => {
        const underWay = this.listingsUnderWay.get(account) ?? 0;
        if (underWay >= this.config.maxConcurrentListings) return false;
        if (!this.interactive.allows(account, cost)) return false;
        this.interactive.take(account, cost);
        this.listingsUnderWay.set(account, underWay + 1);
        return true;
      },
      finished: () => {
        const underWay = this.listingsUnderWay.get(account) ?? 1;
        this.listingsUnderWay.set(account, Math.max(0, underWay - 1));
      },
    };
  }
}
