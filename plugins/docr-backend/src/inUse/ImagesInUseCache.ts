import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ImagesInUse } from './types';

/** What reads an account's images in use (`ImagesInUseReader`). */
export interface ImagesInUseSource {
  read(signal?: AbortSignal): Promise<ImagesInUse>;
}

/**
 * One account's images in use, read at most once at a time. Pages get what was read last and
 * never cause a DigitalOcean call themselves: the GC task's next tick reads again when a page
 * asked since and what is held is older than `pageMaxAgeMs` (nobody looking, nothing is read).
 * A window run's plan asks for a read younger than `planMaxAgeMs`, so the registries planned in
 * one tick share one read.
 */
export class ImagesInUseCache {
  private last?: ImagesInUse;
  private reading?: Promise<ImagesInUse>;
  private wanted = false;

  constructor(
    private readonly deps: {
      source: ImagesInUseSource;
      now: () => Date;
      logger: LoggerService;
      /** Default 5 minutes. */
      pageMaxAgeMs?: number;
      /** Default 1 minute. */
      planMaxAgeMs?: number;
    },
  ) {}

  /** What was read last, or undefined before the first read; asks the next tick for a read when old. */
  forPages(): ImagesInUse | undefined {
    if (this.stale()) this.wanted = true;
    return this.last;
  }

  /** The tick's part: reads when a page asked for it and what is held is old. */
  async refreshForPages(signal?: AbortSignal): Promise<void> {
    if (!this.wanted || !this.stale()) return;
    this.wanted = false;
    try {
      await this.readNow(signal);
    } catch (error) {
      this.deps.logger.warn(`Reading the images in use failed: ${error}`);
    }
  }

  private stale(): boolean {
    return this.age() > (this.deps.pageMaxAgeMs ?? 5 * 60_000);
  }

  /** A read made within `planMaxAgeMs`, reading now if there is none. */
  async forPlan(signal?: AbortSignal): Promise<ImagesInUse> {
    if (this.last && this.age() <= (this.deps.planMaxAgeMs ?? 60_000))
      return this.last;
    return this.readNow(signal);
  }

  private age(): number {
    return this.last
      ? this.deps.now().getTime() - this.last.readAt.getTime()
      : Infinity;
  }

  private readNow(signal?: AbortSignal): Promise<ImagesInUse> {
    if (!this.reading) {
      this.reading = this.deps.source
        .read(signal)
        .then(read => {
          this.last = read;
          return read;
        })
        .finally(() => {
          this.reading = undefined;
        });
    }
    return this.reading;
  }
}
