export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const MIB = 1024 ** 2;
export const START = Date.parse('2027-03-01T00:00:00Z'); // a Monday
export const DAYS = Number(process.env.SOAK_DAYS ?? 30);
export const MINUTES = Math.round(DAYS * 24 * 60);
export const END = START + MINUTES * MINUTE;
/** Every minute of the first hours is ticked, and every AUDIT_EVERY-th minute after them. */
export const AUDIT_HOURS = Number(process.env.SOAK_AUDIT_HOURS ?? 2);
export const AUDIT_EVERY = 181;
/** DigitalOcean's budget per token. */
export const BUDGET_PER_MINUTE = 250;
export const BUDGET_PER_HOUR = 5000;
/** A run still in flight this long after its window end counts as stuck. */
export const STUCK_GRACE_MS = 30 * MINUTE;
/** Mean time between two pushes to one registry. */
export const PUSH_EVERY_MS = 6 * HOUR;
