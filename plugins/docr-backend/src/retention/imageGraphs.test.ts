import { RegistryHostError } from '@backstage-docr/plugin-docr-node';
import { headCheck, type ImageGraphAccess } from './imageGraphs';

const ENTRY = { repository: 'web', tag: 'v1', digest: 'sha256:aaa' };

/** A registry host whose HEAD of any tag answers with `head`. */
const hostAnswering = (
  head: () => Promise<{ digest: string }>,
): ImageGraphAccess => ({
  graphs: { readRegistry: async () => new Map() },
  registryHost: () => ({ headManifest: head as any }),
});

describe('headCheck, right before a tag is deleted', () => {
  it('takes a 404 for a tag the listing still shows for an error, never for a deletion', async () => {
    const notFound = new RegistryHostError({
      operation: 'HEAD web:v1',
      status: 404,
      code: 'MANIFEST_UNKNOWN',
      message: 'manifest unknown',
    });
    const result = await headCheck(
      hostAnswering(() => Promise.reject(notFound)),
      'default',
      'acme',
      ENTRY,
    );
    expect(result).toEqual({ error: notFound });
  });

  it('keeps a tag the registry host has at another digest', async () => {
    const result = await headCheck(
      hostAnswering(async () => ({ digest: 'sha256:bbb' })),
      'default',
      'acme',
      ENTRY,
    );
    expect(result).toMatchObject({ value: { verdict: 'changed' } });
  });
});
