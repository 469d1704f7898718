import { DateTime, DurationLikeObject } from 'luxon';

const DAY_MS = 24 * 3600_000;
/** Tick spacings a reader counts in, smallest first. */
const STEPS: DurationLikeObject[] = [
  { hours: 1 },
  { hours: 2 },
  { hours: 3 },
  { hours: 6 },
  { hours: 12 },
  { days: 1 },
  { days: 2 },
  { weeks: 1 },
];
const MAX_TICKS = 8;

const stepMs = (step: DurationLikeObject) =>
  DateTime.fromMillis(0).plus(step).toMillis();

/**
 * Ticks on whole hours or days (in the viewer's zone) between `first` and `last`, epoch ms: the
 * smallest spacing that keeps them at most {@link MAX_TICKS}.
 */
export function timeTicks(first: number, last: number): number[] {
  const step =
    STEPS.find(s => (last - first) / stepMs(s) <= MAX_TICKS) ??
    STEPS[STEPS.length - 1];
  const unit = step.hours ? 'hour' : 'day';
  let tick = DateTime.fromMillis(first).startOf(unit);
  if (tick.toMillis() < first) tick = tick.plus({ [unit]: 1 });
  const ticks: number[] = [];
  for (; tick.toMillis() <= last; tick = tick.plus(step)) {
    ticks.push(tick.toMillis());
  }
  return ticks;
}

/** A time-axis tick: the hour over a short period, the day over a longer one. */
export function formatAxisTime(time: number, spanMs: number): string {
  return DateTime.fromMillis(time).toFormat(
    spanMs <= 2 * DAY_MS ? 'HH:mm' : 'd LLL',
  );
}
