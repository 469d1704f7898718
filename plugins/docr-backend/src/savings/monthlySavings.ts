import { DateTime } from 'luxon';
import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';
import { GIB } from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import type { RetentionJournalSummary } from '../retention/DeletionJournal';
import { StoragePoint, forecastStorage } from './forecast';

export interface MonthSavings {
  /** `yyyy-MM`, in the time zone asked for. */
  month: string;
  start: string;
  runs: number;
  /** What DigitalOcean's garbage collections freed (their freed bytes). */
  freedBytes: number;
  /** Of that, what retention's deletions made collectable (the plan's estimate, at most the run's figure). */
  retentionFreedBytes: number;
  tagsDeleted: number;
  /** The subject's storage at the month's last sample (or now, for this month); null without samples. */
  storageBytes: number | null;
  /**
   * The overage the account did not pay this month because of what was freed since the first
   * month shown, at the tier's price; null without the tier or the month's account storage.
   */
  overageAvoidedCents: number | null;
}

export interface SavingsReport {
  timezone: string;
  tier: {
    slug: string;
    name: string;
    includedStorageBytes: number;
    storageOveragePriceInCents: number;
    allowStorageOverage: boolean;
  } | null;
  months: MonthSavings[];
  totals: {
    runs: number;
    freedBytes: number;
    retentionFreedBytes: number;
    tagsDeleted: number;
    overageAvoidedCents: number;
  };
  trend: {
    storageBytes: number | null;
    growthBytesPerDay: number | null;
    accountStorageBytes: number | null;
    /** When the account's storage reaches the tier's included storage at its growth of the last 30 days. */
    includedStorageReachedOn: string | null;
    includedStorageReached: boolean;
  };
}

export interface SavingsInput {
  now: Date;
  timezone: string;
  months: number;
  tier?: SubscriptionTier;
  /** Succeeded runs of the subject, ended within the months. */
  runs: GcRun[];
  retention: Map<number, RetentionJournalSummary>;
  /** The subject's storage (a registry's, or the account's). */
  storage: StoragePoint[];
  accountStorage: StoragePoint[];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const round2 = (value: number) => Math.round(value * 100) / 100;

const lastAtOrBefore = (points: StoragePoint[], end: Date) =>
  [...points].reverse().find(p => p.at.getTime() < end.getTime());

/** What a month's collections freed, the part retention's deletions freed, and tags deleted. */
function tally(
  runs: SavingsInput['runs'],
  retention: SavingsInput['retention'],
) {
  let freedBytes = 0;
  let retentionFreedBytes = 0;
  let tagsDeleted = 0;
  for (const run of runs) {
    const freed = run.freedBytes ?? 0;
    freedBytes += freed;
    const summary = retention.get(run.id);
    if (summary) {
      retentionFreedBytes += Math.min(summary.estimatedFreedBytes, freed);
      tagsDeleted += summary.deletedTags;
    }
  }
  return { freedBytes, retentionFreedBytes, tagsDeleted };
}

/**
 * What garbage collection and retention saved, month by month in the given time zone: bytes
 * freed, the overage they avoided at the tier's price, the storage trend and when the included
 * storage is reached at the current growth.
 */
export function monthlySavings(input: SavingsInput): SavingsReport {
  const { tier, timezone } = input;
  const now = DateTime.fromJSDate(input.now).setZone(timezone);
  const first = now.startOf('month').minus({ months: input.months - 1 });
  const included = tier?.included_storage_bytes;
  const price = tier?.storage_overage_price_in_cents ?? 0;
  const overageCents = (bytes: number) =>
    (Math.max(0, bytes - (included ?? 0)) / GIB) * price;

  let cumulativeFreed = 0;
  const months: MonthSavings[] = [];
  for (let i = 0; i < input.months; i++) {
    const start = first.plus({ months: i });
    const end = start.plus({ months: 1 });
    const inMonth = input.runs.filter(r => {
      const at = r.finishedAt!.getTime();
      return at >= start.toMillis() && at < end.toMillis();
    });
    const { freedBytes, retentionFreedBytes, tagsDeleted } = tally(
      inMonth,
      input.retention,
    );
    cumulativeFreed += freedBytes;
    const until = end.toJSDate();
    const storage = lastAtOrBefore(input.storage, until);
    const accountStorage = lastAtOrBefore(input.accountStorage, until);
    const avoided =
      tier && included !== undefined && accountStorage
        ? overageCents(accountStorage.bytes + cumulativeFreed) -
          overageCents(accountStorage.bytes)
        : null;
    months.push({
      month: start.toFormat('yyyy-MM'),
      start: start.toISO()!,
      runs: inMonth.length,
      freedBytes,
      retentionFreedBytes,
      tagsDeleted,
      storageBytes: storage?.bytes ?? null,
      overageAvoidedCents: avoided === null ? null : round2(avoided),
    });
  }

  const recent = (points: StoragePoint[]) =>
    points.filter(p => p.at.getTime() >= input.now.getTime() - 30 * 86_400_000);
  const own = forecastStorage(recent(input.storage), undefined);
  const account = forecastStorage(recent(input.accountStorage), included);
  return {
    timezone,
    tier:
      tier?.slug && included !== undefined
        ? {
            slug: tier.slug,
            name: tier.name ?? tier.slug,
            includedStorageBytes: included,
            storageOveragePriceInCents: price,
            allowStorageOverage: tier.allow_storage_overage ?? false,
          }
        : null,
    months,
    totals: {
      runs: sum(months.map(m => m.runs)),
      freedBytes: sum(months.map(m => m.freedBytes)),
      retentionFreedBytes: sum(months.map(m => m.retentionFreedBytes)),
      tagsDeleted: sum(months.map(m => m.tagsDeleted)),
      overageAvoidedCents: round2(
        sum(months.map(m => m.overageAvoidedCents ?? 0)),
      ),
    },
    trend: {
      storageBytes: input.storage.at(-1)?.bytes ?? null,
      growthBytesPerDay: own.growthBytesPerDay ?? null,
      accountStorageBytes: input.accountStorage.at(-1)?.bytes ?? null,
      includedStorageReachedOn: account.reachedAt
        ? DateTime.fromJSDate(account.reachedAt).setZone(timezone).toISODate()
        : null,
      includedStorageReached: account.alreadyReached,
    },
  };
}
