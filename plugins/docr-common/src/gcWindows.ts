import { DateTime, Duration } from 'luxon';
import { WEEKDAYS } from './gcPolicy';
import type { GcWindow } from './schema/openapi';

/**
 * One occurrence of a window: the instant it opens and the instant it closes.
 *
 * @public
 */
export interface WindowOccurrence {
  /** Index of the window in the policy's list. */
  windowIndex: number;
  /**
   * Identifies this occurrence, stable across restarts and replicas: the window's index and the
   * local date it opens on. Runs are keyed by it so that one occurrence gets at most one run.
   */
  key: string;
  start: DateTime;
  end: DateTime;
}

function occurrenceOn(
  window: GcWindow,
  windowIndex: number,
  localDate: DateTime,
) {
  const weekday = WEEKDAYS[localDate.weekday - 1];
  if (!window.days.includes(weekday)) {
    return undefined;
  }
  const [hour, minute] = window.start.split(':').map(Number);
  // On a spring-forward day a start time inside the gap does not exist; luxon moves it forward
  // by the gap, so the window still opens that day. On a fall-back day the start time happens
  // twice; the window opens at the first of them, once.
  const start = firstInstantOf(
    DateTime.fromObject(
      {
        year: localDate.year,
        month: localDate.month,
        day: localDate.day,
        hour,
        minute,
      },
      { zone: window.timezone },
    ),
  );
  // The length is elapsed time: a 2-hour window is 2 real hours even across a DST change.
  const end = start.plus(
    Duration.fromISO(window.duration).shiftTo('milliseconds'),
  );
  return {
    windowIndex,
    key: `${windowIndex}@${localDate.toISODate()}`,
    start: start.toUTC(),
    end: end.toUTC(),
  };
}

/** The earliest instant that shows the same wall-clock time (they differ on fall-back days). */
function firstInstantOf(time: DateTime): DateTime {
  let first = time;
  // DST shifts are 30, 60 or (historically) 120 minutes.
  for (const minutes of [30, 60, 120]) {
    const earlier = time.minus({ minutes });
    if (
      earlier.toFormat('yyyy-MM-dd HH:mm') === time.toFormat('yyyy-MM-dd HH:mm')
    ) {
      first = earlier;
    }
  }
  return first;
}

function occurrencesAround(
  window: GcWindow,
  windowIndex: number,
  at: DateTime,
  daysBack: number,
  daysAhead: number,
) {
  const today = at.setZone(window.timezone).startOf('day');
  const result: WindowOccurrence[] = [];
  for (let offset = -daysBack; offset <= daysAhead; offset++) {
    const occurrence = occurrenceOn(
      window,
      windowIndex,
      today.plus({ days: offset }),
    );
    if (occurrence) {
      result.push(occurrence);
    }
  }
  return result;
}

/**
 * The occurrence open at `at` (start inclusive, end exclusive), earliest-opened first.
 *
 * @public
 */
export function openWindowAt(
  windows: GcWindow[],
  at: DateTime,
): WindowOccurrence | undefined {
  const open = windows.flatMap((window, index) =>
    occurrencesAround(window, index, at, 8, 0).filter(
      o => o.start <= at && at < o.end,
    ),
  );
  open.sort((a, b) => a.start.toMillis() - b.start.toMillis());
  return open[0];
}

/**
 * The next occurrence that opens after `at` (strictly later).
 *
 * @public
 */
export function nextWindowAfter(
  windows: GcWindow[],
  at: DateTime,
): WindowOccurrence | undefined {
  const upcoming = windows.flatMap((window, index) =>
    occurrencesAround(window, index, at, 0, 8).filter(o => o.start > at),
  );
  upcoming.sort((a, b) => a.start.toMillis() - b.start.toMillis());
  return upcoming[0];
}
