import { performance } from 'node:perf_hooks';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { JournalEntry } from './DeletionJournal';
import type { RunGuard } from './RunGuard';

export const describeEntry = (
  registry: string,
  e: Pick<JournalEntry, 'repository' | 'tag' | 'digest'>,
) =>
  e.tag
    ? `tag ${registry}/${e.repository}:${e.tag} (${e.digest})`
    : `untagged manifest ${registry}/${e.repository}@${e.digest}`;

export const errorText = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * One planned deletion through DigitalOcean's API, within the run's guard: a tag by name, an
 * untagged manifest by digest. A 404 is done before; a 429 or an abort is the guard's; any other
 * error is the deletion's, returned.
 */
export function deleteEntry(
  client: DigitalOceanClient,
  guard: RunGuard,
  registryName: string,
  entry: JournalEntry,
) {
  const started = performance.now();
  return guard.call(
    `deleting ${describeEntry(registryName, entry)}`,
    async signal => {
      try {
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
        return {};
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404)
          return { detail: 'DigitalOcean answered 404: deleted before' };
        if (status === 429 || guard.signal.aborted) throw error;
        return {
          error: `${errorText(error)} (after ${Math.round(performance.now() - started)} ms)`,
        };
      }
    },
  );
}
