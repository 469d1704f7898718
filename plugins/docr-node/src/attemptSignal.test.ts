import { attemptSignal } from './attemptSignal';

describe('attemptSignal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts when the attempt’s time runs out, and says so', () => {
    const attempt = attemptSignal(undefined, 1_000);
    jest.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(true);
  });

  it('stays armed until released, so a body still being read is bounded too', () => {
    const caller = new AbortController();
    const read = attemptSignal(caller.signal, 1_000);
    jest.advanceTimersByTime(1_000);
    expect(read.signal.aborted).toBe(true);

    const released = attemptSignal(caller.signal, 1_000);
    released.release();
    jest.advanceTimersByTime(5_000);
    caller.abort();
    expect(released.signal.aborted).toBe(false);
  });

  it('aborts with the caller’s reason, which is not a timeout', () => {
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1_000);
    caller.abort(new Error('navigated away'));
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toEqual(new Error('navigated away'));
    expect(attempt.timedOut()).toBe(false);
  });

  it('starts aborted when the caller already is', () => {
    const caller = new AbortController();
    caller.abort();
    expect(attemptSignal(caller.signal, 1_000).signal.aborted).toBe(true);
  });
});
