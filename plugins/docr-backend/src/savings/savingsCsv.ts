import type { SavingsReport } from './monthlySavings';

const COLUMNS = [
  'month',
  'runs',
  'freed_bytes',
  'retention_freed_bytes',
  'tags_deleted',
  'storage_bytes',
  'overage_avoided_cents',
] as const;

/** One line a month, for a spreadsheet; empty cells where a figure is unknown. */
export function savingsCsv(report: SavingsReport): string {
  const lines = report.months.map(m =>
    [
      m.month,
      m.runs,
      m.freedBytes,
      m.retentionFreedBytes,
      m.tagsDeleted,
      m.storageBytes ?? '',
      m.overageAvoidedCents ?? '',
    ].join(','),
  );
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}
