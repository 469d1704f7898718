import type { BeforeRegistryHostRequest } from '@backstage-docr/plugin-docr-node';
import { toError } from '@backstage/errors';
import { performance } from 'node:perf_hooks';
import {
  type DigitalOceanClient,
  isNotFoundError,
} from '@backstage-docr/plugin-docr-node';
import type { JournalEntry } from './DeletionJournal';
import { type RunGuard, isRateLimited, listingPages } from './RunGuard';
import type { Verdict } from './TagChecker';
import { budgetGate } from './guardedReader';

export const describeEntry = (
  registry: string,
  e: Pick<JournalEntry, 'repository' | 'tag' | 'digest'>,
) =>
  e.tag
    ? `tag ${registry}/${e.repository}:${e.tag} (${e.digest})`
    : `untagged manifest ${registry}/${e.repository}@${e.digest}`;

/**
 * The registry host's HEAD of a tag: its verdict, or throws when it could not be read;
 * `beforeRequest` takes each of its requests from the run's budget.
 */
export type HeadBeforeDelete = (
  signal: AbortSignal,
  beforeRequest: BeforeRegistryHostRequest,
) => Promise<Verdict>;

export type DeleteOutcome =
  /** Deleted (or DigitalOcean answered 404: deleted before). */
  | { detail?: string; calls: number }
  /** The check right before the DELETE said not to delete. */
  | { verdict: Exclude<Verdict, { verdict: 'delete' }>; calls: number }
  /** The check right before the DELETE could not be made: left planned. */
  | { unchecked: string; calls: number }
  | { error: string; calls: number };

/**
 * Whether an untagged manifest is still untagged, from a tag listing made now: deleting a
 * manifest by digest deletes its tags. DigitalOcean's rate limit and aborts are thrown.
 */
async function untaggedVerdict(
  client: DigitalOceanClient,
  registryName: string,
  entry: JournalEntry,
  signal: AbortSignal,
): Promise<{ verdict: Verdict; pages: number }> {
  const tags = await client
    .listTags(registryName, entry.repository, { signal })
    .catch(error => {
      if (isNotFoundError(error)) return undefined;
      throw error;
    });
  if (!tags)
    return {
      verdict: {
        verdict: 'gone',
        detail: 'its repository is gone from DigitalOcean',
      },
      pages: 1,
    };
  const pointing = tags.filter(t => t.manifest_digest === entry.digest);
  const pages = listingPages(tags);
  if (!pointing.length) return { verdict: { verdict: 'delete' }, pages };
  const names = pointing.map(t => t.tag).join(', ');
  return {
    verdict: {
      verdict: 'changed',
      detail: `tagged again since it was selected (${names})`,
    },
    pages,
  };
}

/**
 * One planned deletion through DigitalOcean's API, within the run's guard, checked inside the
 * guarded call right before its DELETE (so again on every retry after a 429): a tag by the
 * registry host's HEAD (`head`), an untagged manifest by a tag listing made then (no tag may
 * point at it). A 404 to the DELETE is done before; a 429 or an abort is the guard's; any other
 * error is the deletion's, returned.
 */
export function deleteEntry(
  client: DigitalOceanClient,
  guard: RunGuard,
  registryName: string,
  entry: JournalEntry,
  head?: HeadBeforeDelete,
) {
  const started = performance.now();
  return guard.call(
    `deleting ${describeEntry(registryName, entry)}`,
    async (signal): Promise<DeleteOutcome> => {
      let calls = 0;
      let checking = true;
      try {
        if (entry.tag) {
          // The call taken for this deletion is the DELETE's: the HEAD takes its own, so no
          // wait for the budget comes between them.
          const verdict: Verdict = head
            ? await head(signal, budgetGate(guard))
            : { verdict: 'delete' };
          if (verdict.verdict !== 'delete') return { verdict, calls: 1 };
        } else {
          const { verdict, pages } = await untaggedVerdict(
            client,
            registryName,
            entry,
            signal,
          );
          calls = pages;
          if (verdict.verdict !== 'delete') return { verdict, calls };
        }
        checking = false;
        calls++;
        if (entry.tag)
          await client.deleteTag(registryName, entry.repository, entry.tag, {
            signal,
          });
        else
          await client.deleteManifest(
            registryName,
            entry.repository,
            entry.digest,
            { signal },
          );
        return { calls };
      } catch (error) {
        if (guard.signal.aborted || isRateLimited(error)) throw error;
        if (checking)
          return { unchecked: toError(error).message, calls: calls || 1 };
        const status = (error as { status?: number }).status;
        if (status === 404)
          return { detail: 'DigitalOcean answered 404: deleted before', calls };
        return {
          error: `${toError(error).message} (after ${Math.round(performance.now() - started)} ms)`,
          calls,
        };
      }
    },
    outcome => outcome.calls,
  );
}
