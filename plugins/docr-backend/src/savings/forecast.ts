/** A storage figure at a moment. */
export interface StoragePoint {
  at: Date;
  bytes: number;
}

export interface StorageForecast {
  /** Growth by a least-squares line through the points; undefined with fewer than two days of them. */
  growthBytesPerDay?: number;
  /** When the latest figure plus that growth reaches `limitBytes`; undefined when it never does. */
  reachedAt?: Date;
  /** The latest figure is at or past the limit already. */
  alreadyReached: boolean;
}

const DAY_MS = 86_400_000;

/**
 * When storage reaches a limit at its current growth: the slope of a least-squares line through
 * the points (so one noisy sample moves it little), from the latest figure on.
 */
export function forecastStorage(
  points: StoragePoint[],
  limitBytes: number | undefined,
): StorageForecast {
  const sorted = [...points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const latest = sorted.at(-1);
  const alreadyReached =
    !!latest && limitBytes !== undefined && latest.bytes >= limitBytes;
  if (
    sorted.length < 2 ||
    sorted.at(-1)!.at.getTime() - sorted[0].at.getTime() < DAY_MS
  )
    return { alreadyReached };
  const t0 = sorted[0].at.getTime();
  const xs = sorted.map(p => (p.at.getTime() - t0) / DAY_MS);
  const ys = sorted.map(p => p.bytes);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - meanX) * (ys[i] - meanY);
    den += (x - meanX) ** 2;
  });
  const growthBytesPerDay = num / den;
  if (alreadyReached || limitBytes === undefined || growthBytesPerDay <= 0)
    return { growthBytesPerDay, alreadyReached };
  const days = (limitBytes - latest!.bytes) / growthBytesPerDay;
  return {
    growthBytesPerDay,
    reachedAt: new Date(latest!.at.getTime() + days * DAY_MS),
    alreadyReached,
  };
}
