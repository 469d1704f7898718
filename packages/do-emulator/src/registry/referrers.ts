import { MEDIA_TYPES, isDigest } from '../model/manifestDocument';
import { digestInvalid } from '../model/registryErrors';
import type { RegistryResponse } from './response';
import type { RepositoryCall } from './routes';

/**
 * GET `/v2/<name>/referrers/<digest>`: an OCI index of the manifests whose `subject` is the
 * digest (an empty one when there are none, or no such manifest), filtered by `artifactType`.
 */
export function listReferrers(
  call: RepositoryCall,
  digest: string,
): RegistryResponse {
  if (!isDigest(digest)) throw digestInvalid(`"${digest}" is not a digest`);
  const artifactType = call.url.searchParams.get('artifactType');
  const repository = call.registry.storage.repositories.get(call.repository);
  const manifests = [...(repository?.manifests.values() ?? [])]
    .filter(manifest => manifest.subject === digest)
    .map(({ document }) => ({
      mediaType: document.mediaType,
      digest: document.digest,
      size: document.raw.length,
      artifactType: document.artifactType ?? document.config?.mediaType,
      ...(document.annotations ? { annotations: document.annotations } : {}),
    }))
    .filter(d => artifactType === null || d.artifactType === artifactType)
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  return {
    status: 200,
    headers: {
      'content-type': MEDIA_TYPES.ociIndex,
      ...(artifactType === null
        ? {}
        : { 'oci-filters-applied': 'artifactType' }),
    },
    body: { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests },
  };
}
