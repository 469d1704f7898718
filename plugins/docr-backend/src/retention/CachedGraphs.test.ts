import { ServiceUnavailableError } from '@backstage/errors';
import { CachedGraphs } from './CachedGraphs';
import { RepositoryGraphs } from './graph';
import { digestOf, testRepository } from './graph/testGraph';

const NOW = new Date('2026-06-01T00:00:00Z');

/** A repository with one release; its reader counts what it is asked. */
function repository() {
  const repo = testRepository('web');
  repo.image('amd64');
  repo.image('arm64');
  repo.index('v1', { 'linux/amd64': 'amd64', 'linux/arm64': 'arm64' });
  repo.list(['v1', 'amd64', 'arm64'], { v1: 'v1' });
  return repo;
}

async function settled(read: () => unknown) {
  for (;;) {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      await new Promise(resolve => setImmediate(resolve));
    }
  }
}

describe('CachedGraphs', () => {
  it('answers 503 until the graph of a listing is read in the background, then serves it without reading again', async () => {
    const repo = repository();
    const repositoryGraphs = new RepositoryGraphs({
      registryHost: () => repo.reader(),
    });
    // Counted here: a repeated read would be served from the facts cache, never reaching `repo`.
    const readRegistry = jest.spyOn(repositoryGraphs, 'readRegistry');
    const cached = new CachedGraphs({ graphs: repositoryGraphs });
    const contents = { repositories: [repo.contents], fetchedAt: NOW };
    expect(() => cached.forPreview('default', 'acme', contents)).toThrow(
      ServiceUnavailableError,
    );
    const graphs = (await settled(() =>
      cached.forPreview('default', 'acme', contents),
    )) as ReturnType<CachedGraphs['forPreview']>;
    expect(graphs.get('web')).toMatchObject({ repository: 'web' });
    expect(readRegistry).toHaveBeenCalledTimes(1);
    cached.forPreview('default', 'acme', contents);
    await new Promise(resolve => setImmediate(resolve));
    expect(readRegistry).toHaveBeenCalledTimes(1);
    expect(cached.graphOf('default', 'acme', 'web')?.tags.get('v1')).toBe(
      digestOf('v1'),
    );
    expect(cached.graphOf('other', 'acme', 'web')).toBeUndefined();
  });

  it('serves the graph held while a new listing is read, then the new one', async () => {
    const repo = repository();
    const cached = new CachedGraphs({
      graphs: new RepositoryGraphs({ registryHost: () => repo.reader() }),
    });
    const first = { repositories: [repo.contents], fetchedAt: NOW };
    await settled(() => cached.forPreview('default', 'acme', first));
    repo.image('v2');
    const listedAgain = {
      ...repo.contents,
      tags: [
        ...repo.contents.tags,
        { tag: 'v2', manifest_digest: digestOf('v2') },
      ],
      manifests: [...repo.contents.manifests, { digest: digestOf('v2') }],
    };
    const second = { repositories: [listedAgain], fetchedAt: NOW };
    const meanwhile = cached.forPreview('default', 'acme', second).get('web');
    expect(meanwhile).toMatchObject({ repository: 'web' });
    expect((meanwhile as any).tags.has('v2')).toBe(false);
    for (;;) {
      const graph = cached.forPreview('default', 'acme', second).get('web');
      if ((graph as any).tags.has('v2')) break;
      await new Promise(resolve => setImmediate(resolve));
    }
  });

  it('reads a repository soon for the tag listing, without answering 503', async () => {
    const repo = repository();
    const cached = new CachedGraphs({
      graphs: new RepositoryGraphs({ registryHost: () => repo.reader() }),
    });
    cached.readSoon('default', 'acme', repo.contents);
    expect(cached.graphOf('default', 'acme', 'web')).toBeUndefined();
    while (!cached.graphOf('default', 'acme', 'web'))
      await new Promise(resolve => setImmediate(resolve));
    const reads = repo.reads.length;
    cached.readSoon('default', 'acme', repo.contents);
    cached.forPreview('default', 'acme', {
      repositories: [repo.contents],
      fetchedAt: NOW,
    });
    expect(repo.reads).toHaveLength(reads);
  });

  it('holds why a registry could not be read, for the preview to say', async () => {
    const cached = new CachedGraphs({
      graphs: new RepositoryGraphs({
        registryHost: () => {
          throw new Error('no registry host client for this account');
        },
      }),
    });
    const repo = repository();
    const graphs = (await settled(() =>
      cached.forPreview('default', 'acme', {
        repositories: [repo.contents],
        fetchedAt: NOW,
      }),
    )) as ReturnType<CachedGraphs['forPreview']>;
    expect(graphs.get('web')).toEqual({
      unreadable:
        'the registry host could not be read: no registry host client for this account',
    });
    expect(cached.graphOf('default', 'acme', 'web')).toBeUndefined();
  });
});
