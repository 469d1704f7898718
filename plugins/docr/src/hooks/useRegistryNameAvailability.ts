import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { docrApiRef } from '../api';

/** Wait this long after the last key before asking whether the name is free. */
export const NAME_CHECK_DEBOUNCE_MS = 400;

export type NameAvailability =
  | { state: 'idle' | 'checking' }
  | { state: 'available' | 'taken'; name: string }
  | { state: 'unknown'; message: string };

/**
 * Whether DigitalOcean would let the account take `name`, asked once typing pauses. `idle` for
 * no name or a malformed one (`problem`): only a well-formed name is worth a call.
 */
export function useRegistryNameAvailability(
  name: string,
  problem: string | undefined,
  account?: string,
): NameAvailability {
  const api = useApi(docrApiRef);
  const [availability, setAvailability] = useState<NameAvailability>({
    state: 'idle',
  });
  useEffect(() => {
    if (!name || problem) {
      setAvailability({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setAvailability({ state: 'checking' });
    const timer = setTimeout(() => {
      api.checkRegistryName(name, account).then(
        result =>
          current &&
          setAvailability({
            state: result.available ? 'available' : 'taken',
            name: result.name,
          }),
        (error: Error) =>
          current &&
          setAvailability({ state: 'unknown', message: error.message }),
      );
    }, NAME_CHECK_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, name, problem, account]);
  return availability;
}
