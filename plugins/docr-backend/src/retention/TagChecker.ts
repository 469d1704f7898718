import { performance } from 'node:perf_hooks';
import type { RepositoryTag } from '@backstage-docr/digitalocean-openapi';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { JournalEntry } from './DeletionJournal';
import { listTagsNow } from './freshListing';
import type { RunGuard, StopReason } from './RunGuard';

export type Verdict =
  | { verdict: 'delete' }
  /** Not there any more: deleted before (by a run that stopped before journaling it, or by hand). */
  | { verdict: 'gone'; detail: string }
  /** Re-pushed or tagged again since it was selected: kept. */
  | { verdict: 'changed'; detail: string };

export type CheckResult =
  | { value: Verdict; stoppedBy?: undefined; error?: undefined }
  | { stoppedBy: StopReason; value?: undefined; error?: undefined }
  | { error: unknown; value?: undefined; stoppedBy?: undefined };

/** A repository's tags as last listed: tag to digest; null when the repository is gone. */
type Held = { tags: Map<string, string>; atMs: number } | null;

/**
 * Whether a planned deletion still stands, from a listing of the repository's tags at most
 * `maxAgeMs` old (listed again when older): a tag is deleted only while it points at the digest
 * selected, an untagged manifest only while no tag points at it (deleting a manifest deletes its
 * tags). DigitalOcean has no call to read one tag, so this is as close as its API allows.
 */
export class TagChecker {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly client: DigitalOceanClient,
    private readonly guard: RunGuard,
    private readonly registryName: string,
    private readonly options: { maxAgeMs: number },
  ) {}

  /** A listing just made (the one the plan was made from). */
  hold(repository: string, tags: RepositoryTag[]): void {
    this.held.set(repository, {
      tags: new Map(tags.map(t => [t.tag ?? '', t.manifest_digest ?? ''])),
      atMs: performance.now(),
    });
  }

  /** The entry was deleted: the listing held no longer has it. */
  deleted(entry: JournalEntry): void {
    const held = this.held.get(entry.repository);
    if (!held) return;
    if (entry.tag) held.tags.delete(entry.tag);
    else
      for (const [tag, digest] of held.tags)
        if (digest === entry.digest) held.tags.delete(tag);
  }

  /** The repository's listing, listed again when older than `maxAgeMs`. */
  private async listing(
    repository: string,
  ): Promise<
    | { value: Held; stoppedBy?: undefined; error?: undefined }
    | Exclude<CheckResult, { value: Verdict }>
  > {
    const held = this.held.get(repository);
    const stale =
      held === undefined ||
      (held !== null && performance.now() - held.atMs > this.options.maxAgeMs);
    if (!stale) return { value: held };
    try {
      const listed = await listTagsNow(
        this.client,
        this.guard,
        this.registryName,
        repository,
      );
      if (listed.stoppedBy) return listed;
      if (listed.value) this.hold(repository, listed.value);
      else this.held.set(repository, null);
      return { value: this.held.get(repository) ?? null };
    } catch (error) {
      return { error };
    }
  }

  /** The tags of a fresh listing that point at the digest (none when the repository is gone). */
  async tagsPointingAt(
    repository: string,
    digest: string,
  ): Promise<
    | { value: string[]; stoppedBy?: undefined; error?: undefined }
    | Exclude<CheckResult, { value: Verdict }>
  > {
    const listed = await this.listing(repository);
    if (listed.value === undefined) return listed;
    const tags = [...(listed.value?.tags ?? [])];
    return { value: tags.filter(([, d]) => d === digest).map(([tag]) => tag) };
  }

  async check(entry: JournalEntry): Promise<CheckResult> {
    const listed = await this.listing(entry.repository);
    if (listed.value === undefined) return listed;
    const held = listed.value;
    if (!held)
      return {
        value: {
          verdict: 'gone',
          detail: 'its repository is gone from DigitalOcean',
        },
      };
    if (entry.tag) {
      const digest = held.tags.get(entry.tag);
      if (digest === undefined)
        return {
          value: {
            verdict: 'gone',
            detail: 'no longer listed by DigitalOcean',
          },
        };
      if (digest !== entry.digest)
        return {
          value: {
            verdict: 'changed',
            detail: `re-pushed since it was selected: it now points at ${digest}`,
          },
        };
      return { value: { verdict: 'delete' } };
    }
    const tags = [...held.tags]
      .filter(([, digest]) => digest === entry.digest)
      .map(([tag]) => tag);
    if (tags.length)
      return {
        value: {
          verdict: 'changed',
          detail: `tagged again since it was selected (${tags.join(', ')})`,
        },
      };
    return { value: { verdict: 'delete' } };
  }
}
