import {
  GcPolicyInput,
  gcPolicySchema,
  nextWindowAfter,
} from '@backstage-docr/plugin-docr-common';
import { DateTime } from 'luxon';
import { DAY, END, START } from './settings';

export interface Occurrence {
  start: number;
  end: number;
  key: string;
}

/** Every occurrence of a policy's windows overlapping the simulated period. */
export function occurrencesOf(policy: GcPolicyInput): Occurrence[] {
  const windows = gcPolicySchema.parse(policy).windows;
  const result: Occurrence[] = [];
  let at: DateTime = DateTime.fromMillis(START - 8 * DAY, { zone: 'utc' });
  for (;;) {
    const next = nextWindowAfter(windows, at);
    if (!next || next.start.toMillis() >= END) break;
    if (next.end.toMillis() > START) {
      result.push({
        start: next.start.toMillis(),
        end: next.end.toMillis(),
        key: next.key,
      });
    }
    at = next.start;
  }
  return result;
}

/** The occurrence open at `t`, earliest-opened first, as openWindowAt picks it. */
export function openAt(
  occurrences: Occurrence[],
  t: number,
): Occurrence | undefined {
  let open: Occurrence | undefined;
  for (const o of occurrences) {
    if (o.start > t) break;
    if (t < o.end && (!open || o.start < open.start)) open = o;
  }
  return open;
}
