import {
  MEDIA_TYPES,
  digestOf,
  isDigest,
  parseManifest,
} from '../model/manifestDocument';
import {
  RegistryError,
  digestInvalid,
  manifestUnknown,
} from '../model/registryErrors';
import type { Manifest, Repository } from '../model/registryStorage';
import type { RegistryResponse } from './response';
import type { RepositoryCall } from './routes';
import { writeContent } from './writes';

/** The distribution spec asks registries to take manifests of at least 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 ** 2;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** GET and HEAD `/v2/<name>/manifests/<tag or digest>`: the exact bytes pushed. */
export function getManifest(
  call: RepositoryCall,
  reference: string,
): RegistryResponse {
  const repository = call.registry.storage.repositories.get(call.repository);
  const manifest = repository && findManifest(repository, reference);
  if (!repository || !manifest) throw manifestUnknown(reference);
  const served = negotiate(
    call,
    repository,
    manifest,
    !isDigest(reference),
  ).document;
  return {
    status: 200,
    headers: {
      'content-type': served.mediaType,
      'docker-content-digest': served.digest,
      etag: `"${served.digest}"`,
    },
    body: served.raw,
  };
}

/**
 * PUT `/v2/<name>/manifests/<tag or digest>`: stored byte for byte once its blobs and child
 * manifests are in the repository; a `subject` is echoed in `OCI-Subject`.
 */
export function putManifest(
  call: RepositoryCall,
  reference: string,
): RegistryResponse {
  if (call.body.length > MAX_MANIFEST_BYTES) {
    throw new RegistryError(
      413,
      'SIZE_INVALID',
      `manifests over ${MAX_MANIFEST_BYTES} bytes are refused`,
    );
  }
  const byDigest = isDigest(reference);
  if (!byDigest && !TAG.test(reference)) {
    throw new RegistryError(
      400,
      'MANIFEST_INVALID',
      `invalid tag "${reference}"`,
    );
  }
  const document = parseManifest(call.body, call.headers['content-type']);
  if (byDigest && digestOf(call.body, reference) !== reference) {
    throw digestInvalid(
      `the manifest's digest is ${digestOf(call.body, reference)}, not ${reference}`,
    );
  }
  const storage = call.registry.storage;
  writeContent(
    call,
    !storage.repositories.has(call.repository),
    s => s.manifestBytesToAdd(call.repository, document),
    s =>
      s.putManifest(
        call.repository,
        document,
        byDigest ? undefined : reference,
        call.account.now(),
      ),
  );
  if (!byDigest)
    call.account.appPlatform.imagePushed(
      call.registry.name,
      call.repository,
      reference,
    );
  const headers: Record<string, string> = {
    location: `/v2/${call.name}/manifests/${document.digest}`,
    'docker-content-digest': document.digest,
  };
  if (document.subject) headers['oci-subject'] = document.subject.digest;
  return { status: 201, headers };
}

/** DELETE by tag removes the tag only; by digest, the manifest and every tag on it. */
export function deleteManifest(
  call: RepositoryCall,
  reference: string,
): RegistryResponse {
  const repository = call.registry.storage.repositories.get(call.repository);
  if (!repository || !findManifest(repository, reference)) {
    throw manifestUnknown(reference);
  }
  writeContent(
    call,
    false,
    () => 0,
    storage =>
      isDigest(reference)
        ? storage.deleteManifest(repository, reference)
        : storage.deleteTag(repository, reference),
  );
  return { status: 202 };
}

function findManifest(
  repository: Repository,
  reference: string,
): Manifest | undefined {
  const digest = isDigest(reference)
    ? reference
    : repository.tags.get(reference);
  return digest ? repository.manifests.get(digest) : undefined;
}

/**
 * What distribution serves for the request's Accept: OCI manifests and indexes only to clients
 * that accept them (MANIFEST_UNKNOWN otherwise); a Docker manifest list fetched by tag by a
 * client that does not accept lists is answered with its linux/amd64 manifest.
 */
function negotiate(
  call: RepositoryCall,
  repository: Repository,
  manifest: Manifest,
  byTag: boolean,
): Manifest {
  const accepted = acceptedTypes(call.headers.accept);
  const { mediaType } = manifest.document;
  if (mediaType === MEDIA_TYPES.ociManifest && !accepted.has(mediaType)) {
    throw new RegistryError(
      404,
      'MANIFEST_UNKNOWN',
      'OCI manifest found, but accept header does not support OCI manifests',
    );
  }
  if (mediaType === MEDIA_TYPES.ociIndex && !accepted.has(mediaType)) {
    throw new RegistryError(
      404,
      'MANIFEST_UNKNOWN',
      'OCI index found, but accept header does not support OCI indexes',
    );
  }
  if (
    mediaType !== MEDIA_TYPES.dockerManifestList ||
    !byTag ||
    accepted.has(mediaType)
  ) {
    return manifest;
  }
  const amd64 = manifest.document.manifests.find(
    m => m.platform?.os === 'linux' && m.platform.architecture === 'amd64',
  );
  const child = amd64 && repository.manifests.get(amd64.digest);
  if (!child) throw manifestUnknown(manifest.digest);
  return child;
}

function acceptedTypes(accept: string | string[] | undefined): Set<string> {
  return new Set(
    [accept ?? []]
      .flat()
      .flatMap(value => value.split(','))
      .map(value => value.split(';')[0].trim().toLowerCase())
      .filter(Boolean),
  );
}
