import { Duration, IANAZone } from 'luxon';
import { z } from 'zod';
import { allValuesOf } from './enumValues';
import { retentionSchema } from './retention';
import type {
  GcPolicy,
  GcPolicyInput,
  GcType,
  GcWindow,
  Weekday,
} from './schema/openapi';

/**
 * Garbage collection types, as DigitalOcean names them.
 *
 * @public
 */
export const GC_TYPES = allValuesOf<GcType>()([
  'untagged manifests only',
  'unreferenced blobs only',
  'untagged manifests and unreferenced blobs',
]);
/** @public */
export const gcTypeSchema = z.enum(GC_TYPES);

/**
 * With no type DigitalOcean frees only unreferenced blobs, which frees nothing while old manifests
 * still reference them; collecting both is what actually reclaims storage.
 *
 * @public
 */
export const DEFAULT_GC_TYPE: GcType =
  'untagged manifests and unreferenced blobs';

/** @public */
export const WEEKDAYS = allValuesOf<Weekday>()([
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
]);

/**
 * A window may last at most a week, so that its occurrences never overlap themselves.
 *
 * @public
 */
export const MAX_WINDOW_DURATION_HOURS = 24 * 7;

/** @public */
export const gcWindowSchema: z.ZodType<GcWindow> = z.object({
  days: z
    .array(
      z.enum(WEEKDAYS, {
        errorMap: () => ({
          message: `Day must be one of ${WEEKDAYS.join(', ')}`,
        }),
      }),
    )
    .min(1, 'A window needs at least one day')
    .refine(days => new Set(days).size === days.length, 'Days must not repeat'),
  start: z
    .string()
    .regex(
      /^([01][0-9]|2[0-3]):[0-5][0-9]$/,
      'Start must be a 24-hour time such as "03:00"',
    ),
  duration: z.string().superRefine((value, ctx) => {
    const duration = Duration.fromISO(value);
    if (!duration.isValid) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Duration must be an ISO 8601 duration such as "PT2H", got "${value}"`,
      });
      return;
    }
    const hours = duration.as('hours');
    if (hours <= 0 || hours > MAX_WINDOW_DURATION_HOURS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Duration must be more than zero and at most ${MAX_WINDOW_DURATION_HOURS} hours, got "${value}"`,
      });
    }
  }),
  timezone: z.string().refine(
    zone => IANAZone.isValidZone(zone),
    zone => ({
      message: `Time zone must be an IANA time zone such as "Europe/Berlin", got "${zone}"`,
    }),
  ),
});

/**
 * How long before a window opens its owners are told, when the policy does not say.
 *
 * @public
 */
export const DEFAULT_NOTIFY_BEFORE_WINDOW = 'PT30M';

/**
 * A lead time before each window (an ISO 8601 duration, at most a day) or `off`.
 *
 * @public
 */
export const notifyBeforeWindowSchema = z.string().superRefine((value, ctx) => {
  if (value === 'off') return;
  const hours = Duration.fromISO(value).as('hours');
  if (!(hours > 0 && hours <= 24))
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Notify before window must be "off" or an ISO 8601 duration of more than zero and at most a day such as "PT30M", got "${value}"`,
    });
});

/**
 * Four a day for a week is plenty; more would only make every tick slower.
 *
 * @public
 */
export const MAX_WINDOWS_PER_POLICY = 28;

/**
 * Validates a GC policy and applies its defaults. Typed by the REST API's `GcPolicy` and
 * `GcPolicyInput` (generated from the OpenAPI spec), so that zod's output is the spec's type
 * and the public API (and its report) names them instead of an expansion of zod's types.
 *
 * @public
 */
export const gcPolicySchema: z.ZodType<GcPolicy, z.ZodTypeDef, GcPolicyInput> =
  z.object({
    enabled: z.boolean().default(true),
    type: gcTypeSchema.default(DEFAULT_GC_TYPE),
    windows: z
      .array(gcWindowSchema)
      .max(
        MAX_WINDOWS_PER_POLICY,
        `At most ${MAX_WINDOWS_PER_POLICY} windows per policy`,
      )
      .default([]),
    /** Cancel a run still going at window end, so the registry is not read-only past its window. */
    cancelAtWindowEnd: z.boolean().default(true),
    /** How long before each window its owners are told the registry will be read-only. */
    notifyBeforeWindow: notifyBeforeWindowSchema.default(
      DEFAULT_NOTIFY_BEFORE_WINDOW,
    ),
    /** Which tags to delete (see `retentionSchema`); none when absent. */
    retention: retentionSchema.optional(),
  });

/**
 * Turns zod issues into one message per field, naming the field by its path.
 *
 * @public
 */
export function describeValidationIssues(
  error: z.ZodError,
  prefix = '',
): string[] {
  return error.issues.map(issue => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}
