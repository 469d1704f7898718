import { Knex } from 'knex';
import { RUN_STATUS } from '@backstage-docr/plugin-docr-common';
import {
  DocrStore,
  GcRun,
} from '../../plugins/docr-backend/src/database/DocrStore';
import { Occurrence, openAt } from './windows';
import { HOUR } from './settings';

const RETRY_PENDING = RUN_STATUS.waitingToRetry;
const SAMPLE_INTERVAL_MS = HOUR;

/**
 * Whether a tick at a minute could call DigitalOcean (see GarbageCollector.tick): the listing is
 * due, a run is in flight, or a looked-after registry has an open window without a run. Reads
 * what it needs from the database on `refresh`, after anything that may change it.
 */
export class TickRule {
  private cache = {
    lastListingAt: undefined as number | undefined,
    inFlight: 0,
    claimed: new Set<string>(),
    lookedAfter: new Set<string>(),
  };

  constructor(
    private readonly store: DocrStore,
    private readonly knex: Knex,
    private readonly occurrences: Map<string, Occurrence[]>,
  ) {}

  /** Reads the database again; returns the runs in flight. */
  async refresh(): Promise<GcRun[]> {
    const [listedAt, inFlight, listing, stored, rows] = await Promise.all([
      this.store.lastListingAt(),
      this.store.runsInFlight(),
      this.store.latestListing(),
      this.store.allStoredPolicies(),
      this.knex('docr_gc_runs')
        .whereNotNull('occurrence_key')
        .whereNot('status', RETRY_PENDING)
        .select('registry_name', 'occurrence_key'),
    ]);
    const lookedAfter = new Set([
      ...listing.map(s => s.registryName),
      ...stored.keys(),
    ]);
    for (const [name, p] of stored) if (p.orphaned) lookedAfter.delete(name);
    this.cache = {
      lastListingAt: listedAt?.getTime(),
      inFlight: inFlight.length,
      claimed: new Set(rows.map(r => `${r.registry_name}|${r.occurrence_key}`)),
      lookedAfter,
    };
    return inFlight;
  }

  couldCallDo(t: number): boolean {
    const { cache } = this;
    if (
      cache.lastListingAt === undefined ||
      t - cache.lastListingAt >= SAMPLE_INTERVAL_MS
    )
      return true;
    if (cache.inFlight > 0) return true;
    for (const name of cache.lookedAfter) {
      const open = openAt(this.occurrences.get(name) ?? [], t);
      if (open && !cache.claimed.has(`${name}|${open.key}`)) return true;
    }
    return false;
  }
}
