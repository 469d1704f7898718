import {
  DO_GC_STATUSES,
  FINAL_RUN_STATUSES,
  RUN_STATUS,
  isFinalRunStatus,
  isTerminalGcStatus,
} from './gcStatus';

describe('GC statuses', () => {
  it('counts only succeeded, failed and cancelled as DigitalOcean’s end; cancelling still runs', () => {
    expect(DO_GC_STATUSES.filter(isTerminalGcStatus)).toEqual([
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(isTerminalGcStatus('cancelling')).toBe(false);
  });

  it('treats a status DigitalOcean may add later, or none, as still running', () => {
    expect(isTerminalGcStatus('compacting layers')).toBe(false);
    expect(isTerminalGcStatus(undefined)).toBe(false);
    expect(isFinalRunStatus('compacting layers')).toBe(false);
  });

  it('a run is final at DigitalOcean’s end or when skipped; starting and waiting to retry are in flight', () => {
    expect(FINAL_RUN_STATUSES).toEqual([
      'succeeded',
      'failed',
      'cancelled',
      'skipped',
    ]);
    expect(isFinalRunStatus(RUN_STATUS.skipped)).toBe(true);
    expect(isFinalRunStatus(RUN_STATUS.starting)).toBe(false);
    expect(isFinalRunStatus(RUN_STATUS.waitingToRetry)).toBe(false);
  });
});
