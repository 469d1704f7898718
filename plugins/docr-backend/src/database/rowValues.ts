// SQLite hands back numbers (ms), PostgreSQL Date objects and bigint columns as strings.

export const toDate = (value: Date | string | number | null) =>
  value === null || value === undefined ? undefined : new Date(value);

export const toNumber = (value: number | string | null) =>
  value === null || value === undefined ? undefined : Number(value);

export const orUndefined = <T>(value: T | null) =>
  value === null ? undefined : value;
