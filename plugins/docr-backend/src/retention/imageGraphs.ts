import { toError } from '@backstage/errors';
import type {
  BeforeRegistryHostRequest,
  RegistryHostClient,
} from '@backstage-docr/plugin-docr-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import type { JournalEntry } from './DeletionJournal';
import type { ManifestReader, RepositoryGraphs } from './graph';
import type { GraphOrFailure } from './graphSelection';
import type { HeadBeforeDelete } from './deleteEntry';
import type { Verdict } from './TagChecker';
import type { RunGuard } from './RunGuard';
import { guardedReader } from './guardedReader';

/** What retention reads through the registry host: the graphs, and each tag right before its DELETE. */
export interface ImageGraphAccess {
  graphs: Pick<RepositoryGraphs, 'readRegistry'>;
  registryHost: (account: string) => Pick<RegistryHostClient, 'headManifest'>;
}

/**
 * Each repository's graph, or why none could be read (then nothing of it is deleted): an error
 * reading the registry (no registry host client for the account, say) fails every repository
 * safe, as does an abort (the caller sees its guard stopped).
 */
export async function readGraphsSafely(
  access: Pick<ImageGraphAccess, 'graphs'>,
  account: string,
  registry: string,
  repositories: RepositoryContents[],
  signal?: AbortSignal,
  wrap?: (reader: ManifestReader) => ManifestReader,
): Promise<Map<string, GraphOrFailure>> {
  try {
    return await access.graphs.readRegistry(
      account,
      registry,
      repositories,
      signal,
      wrap,
    );
  } catch (error) {
    const unreadable = `the registry host could not be read: ${toError(error).message}`;
    return new Map(repositories.map(r => [r.name, { unreadable }]));
  }
}

/**
 * The graphs a run plans on, read after its fresh listing, each read within the run's budget
 * (`guardedReader`); logged with the requests they took and the repositories that could not be
 * read. Undefined without access.
 */
export async function readGraphsForPlan(
  access: ImageGraphAccess | undefined,
  request: { account: string; registryName: string },
  repositories: RepositoryContents[],
  guard: RunGuard,
  logger: LoggerService,
): Promise<Map<string, GraphOrFailure> | undefined> {
  if (!access) return undefined;
  const counted = { requests: 0 };
  const graphs = await readGraphsSafely(
    access,
    request.account,
    request.registryName,
    repositories,
    guard.signal,
    reader => guardedReader(reader, guard, counted),
  );
  const failed = [...graphs].flatMap(([name, graph]) =>
    'unreadable' in graph ? [`${name} (${graph.unreadable})`] : [],
  );
  logger.info(
    `Retention of ${request.account}/${request.registryName}: read the image graphs of ${graphs.size} repositories through the registry host (${counted.requests} requests)${failed.length ? `; nothing is deleted of ${failed.join(', ')}` : ''}`,
  );
  return graphs;
}

/**
 * Whether the tag still points at the digest planned, asked of the registry host right before
 * its DELETE (one HEAD): a tag pushed again since the plan is kept with its new image. A 404 for
 * a tag the listing still shows is an error (left planned), never taken for a deletion.
 */
export async function headCheck(
  access: ImageGraphAccess,
  account: string,
  registry: string,
  entry: Pick<JournalEntry, 'repository' | 'tag' | 'digest'>,
  signal?: AbortSignal,
  beforeRequest?: BeforeRegistryHostRequest,
): Promise<{ value: Verdict } | { error: unknown }> {
  try {
    const head = await access
      .registryHost(account)
      .headManifest(registry, entry.repository, entry.tag!, {
        signal,
        beforeRequest,
      });
    if (head.digest === entry.digest) return { value: { verdict: 'delete' } };
    return {
      value: {
        verdict: 'changed',
        detail: `pushed again since it was selected: the registry host has it at ${head.digest}`,
      },
    };
  } catch (error) {
    return { error };
  }
}

/**
 * For a tag, the registry host's HEAD the deletion makes inside its guarded call, right before
 * the DELETE (see `deleteEntry`); none without access or for an untagged manifest.
 */
export function headBeforeDelete(
  access: ImageGraphAccess | undefined,
  request: { account: string; registryName: string },
  entry: JournalEntry,
): HeadBeforeDelete | undefined {
  if (!access || !entry.tag) return undefined;
  return async (signal, beforeRequest) => {
    const head = await headCheck(
      access,
      request.account,
      request.registryName,
      entry,
      signal,
      beforeRequest,
    );
    if ('error' in head) throw head.error;
    return head.value;
  };
}
