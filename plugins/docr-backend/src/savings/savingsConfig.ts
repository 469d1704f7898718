import type { Config } from '@backstage/config';
import { IANAZone } from 'luxon';

/** `docr.savings.timezone` (UTC when absent); a zone luxon does not know fails naming the key. */
export function readSavingsTimezone(config: Config): string {
  const zone = config.getOptionalString('docr.savings.timezone') ?? 'UTC';
  if (!IANAZone.isValidZone(zone))
    throw new Error(
      `docr.savings.timezone: "${zone}" is not an IANA time zone such as "Europe/Berlin"`,
    );
  return zone;
}
