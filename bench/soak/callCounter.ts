import { DoEmulator } from '@backstage-docr/do-emulator';

/**
 * DigitalOcean calls read from the emulator's request log: per simulated minute (only minutes
 * with calls are kept), by answer status, and the answers to GC starts.
 */
export class CallCounter {
  readonly perMinute = new Map<number, number>();
  readonly statuses: Record<string, number> = {};
  readonly startAnswers: Record<string, number> = {};
  private minuteCalls = 0;
  private counted: number;

  constructor(private readonly emulator: DoEmulator) {
    this.counted = emulator.requests.count();
  }

  startMinute() {
    this.minuteCalls = 0;
  }

  /** Counts the calls logged since the last count; returns how many there were. */
  count(): number {
    const total = this.emulator.requests.count();
    const delta = total - this.counted;
    this.counted = total;
    if (delta > 0) {
      for (const entry of this.emulator.requests.all().slice(-delta)) {
        const key = String(entry.status ?? 'none');
        this.statuses[key] = (this.statuses[key] ?? 0) + 1;
        if (entry.operationId === 'registries_run_garbageCollection')
          this.startAnswers[key] = (this.startAnswers[key] ?? 0) + 1;
      }
    }
    this.minuteCalls += delta;
    return delta;
  }

  endMinute(minute: number) {
    if (this.minuteCalls > 0) this.perMinute.set(minute, this.minuteCalls);
  }
}
