import type {
  GcRunView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';

/** One point of the storage line: a sample, or the finish of GC runs between two samples. */
export interface StorageChartRow {
  /** Epoch milliseconds. */
  time: number;
  storageBytes: number;
  /** The GC runs that finished at `time`; empty for a sample. */
  runs: GcRunView[];
}

/** A finished run and when, as epoch milliseconds. */
export interface GcRunMark {
  time: number;
  run: GcRunView;
}

/** The runs that finished between the first and the last sample (others fall off the time axis). */
export function gcRunMarks(
  samples: StorageSampleView[],
  runs: GcRunView[],
): GcRunMark[] {
  const times = samples.map(s => Date.parse(s.sampledAt));
  const first = Math.min(...times);
  const last = Math.max(...times);
  return runs
    .filter(run => run.finishedAt)
    .map(run => ({ time: Date.parse(run.finishedAt!), run }))
    .filter(mark => mark.time >= first && mark.time <= last)
    .sort((a, b) => a.time - b.time);
}

/**
 * The samples in time order, with a row where GC runs finished. That row keeps the storage of the
 * sample before it: storage is only known when sampled, so the step down shows at the next sample
 * and the row only carries the runs for the tooltip.
 */
export function storageChartRows(
  samples: StorageSampleView[],
  runs: GcRunView[],
): StorageChartRow[] {
  const sampleRows: StorageChartRow[] = samples
    .map(s => ({
      time: Date.parse(s.sampledAt),
      storageBytes: s.storageBytes,
      runs: [],
    }))
    .sort((a, b) => a.time - b.time);
  const byTime = new Map<number, GcRunView[]>();
  for (const mark of gcRunMarks(samples, runs)) {
    byTime.set(mark.time, [...(byTime.get(mark.time) ?? []), mark.run]);
  }
  const runRows = [...byTime].map(([time, finished]) => ({
    time,
    storageBytes: sampleRows.filter(row => row.time <= time).pop()!
      .storageBytes,
    runs: finished,
  }));
  // A run that finished at a sample's time comes after it, where the sample's level holds.
  return [...sampleRows, ...runRows].sort(
    (a, b) => a.time - b.time || a.runs.length - b.runs.length,
  );
}
