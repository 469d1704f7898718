import type { GcRunView } from '@backstage-docr/plugin-docr-common';
import { DateTime } from 'luxon';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB" */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/** 520 → "$5.20" */
export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${seconds % 60} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A window start shown in a zone: "Sun 28 Nov, 03:00 CET". */
export function formatInZone(iso: string, zone: string): string {
  return DateTime.fromISO(iso).setZone(zone).toFormat('ccc d LLL, HH:mm ZZZZ');
}

export function viewerZone(): string {
  return DateTime.local().zoneName ?? 'UTC';
}

/** An instant in the viewer's locale; "—" when there is none. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/**
 * What a window run's retention deleted before its GC: "412 tags (rule 1: 400, rule 2: 12)",
 * with what is left for the next window; empty for a run without retention.
 */
export function formatRetention(
  retention: GcRunView['retention'] | undefined,
): string {
  if (!retention) return '';
  const { deletedTags, deletedManifests, deletedByRule, remaining, skipped } =
    retention;
  const parts = [
    `${deletedTags} tag${deletedTags === 1 ? '' : 's'}`,
    ...(deletedManifests
      ? [
          `${deletedManifests} untagged manifest${deletedManifests === 1 ? '' : 's'}`,
        ]
      : []),
  ];
  const byRule = Object.entries(deletedByRule)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([rule, count]) => `rule ${Number(rule) + 1}: ${count}`);
  const notes = [
    ...(skipped ? [`${skipped} kept (pushed again)`] : []),
    ...(remaining ? [`${remaining} left for the next window`] : []),
  ];
  return `${parts.join(' and ')}${byRule.length ? ` (${byRule.join(', ')})` : ''}${
    notes.length ? `; ${notes.join(', ')}` : ''
  }`;
}
