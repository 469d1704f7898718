/**
 * A caller's `beforeRequest` refused a request. Carried through requests that callers share
 * (the ping, docker credentials, a token) so that the caller that started one fails with its
 * own refusal (`refusalCause`) while the others waiting for it try again with their own.
 */
export class GateRefused extends Error {
  constructor(readonly refusal: unknown) {
    super('the caller that started this request refused it');
  }
}

/** Awaits the caller's gate, then does the work; the gate's refusal is marked `GateRefused`. */
export async function gated<T>(
  gate: (() => Promise<void>) | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (gate) {
    try {
      await gate();
    } catch (error) {
      throw new GateRefused(error);
    }
  }
  return work();
}

/** What the caller sees of an error: its own gate's refusal as it was thrown. */
export function refusalCause(error: unknown): unknown {
  return error instanceof GateRefused ? error.refusal : error;
}

/**
 * A value held, or the request for it that callers share: the caller that finds none starts it
 * (`start`, which must hold it as pending); one that waited for another's, refused by that
 * caller's gate, looks again.
 */
export async function heldOrShared<T>(
  held: () => T | undefined,
  pending: () => Promise<T> | undefined,
  start: () => Promise<T>,
): Promise<T> {
  for (;;) {
    const value = held();
    if (value !== undefined) return value;
    const waited = pending();
    try {
      return await (waited ?? start());
    } catch (error) {
      if (!(waited && error instanceof GateRefused)) throw error;
    }
  }
}
