/** The signal one request attempt runs under; see {@link attemptSignal}. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** Whether the attempt's time ran out (as opposed to the caller aborting it). */
  timedOut(): boolean;
  /** Disarms the timer and stops following the caller; for an attempt that has ended. */
  release(): void;
}

/**
 * A signal that aborts after `timeoutMs` of real time, or with the request's own signal. Left
 * armed after the answer's headers, it also bounds the reading of the body; its timer is unref'd
 * and holds only the controller. One controller and one timer instead of `AbortSignal.any` over
 * `AbortSignal.timeout`, which cost about a sixth of a local request (`./run bench foundation`).
 *
 * `caller` must live no longer than the request (a `Request`'s own signal): an attempt that is
 * never released keeps its listener on it, which on a signal shared by many requests would pile up.
 */
export function attemptSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number,
): AttemptSignal {
  const controller = new AbortController();
  const deadline = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    controller.abort();
  }, timeoutMs);
  timer.unref?.();
  const abortWithCaller = () => controller.abort(caller?.reason);
  if (caller?.aborted) abortWithCaller();
  else caller?.addEventListener('abort', abortWithCaller, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => deadline.passed,
    release() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', abortWithCaller);
    },
  };
}
