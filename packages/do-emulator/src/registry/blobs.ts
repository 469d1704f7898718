import { verifiedContent } from '../model/BlobUploads';
import { isDigest } from '../model/manifestDocument';
import {
  RegistryError,
  blobUnknown,
  digestInvalid,
} from '../model/registryErrors';
import type { BlobUpload } from '../model/BlobUploads';
import type { RegistryResponse } from './response';
import { RepositoryCall, splitName } from './routes';
import { assertWritesAllowed, writeContent } from './writes';

/**
 * HEAD and GET `/v2/<name>/blobs/<digest>`, for blobs pushed to (or mounted in) the repository.
 * Layers of images pushed by size (seeds, the admin push) have a size but no bytes: HEAD
 * answers, GET says so with BLOB_UNKNOWN.
 */
export function getBlob(
  call: RepositoryCall,
  digest: string,
): RegistryResponse {
  const storage = call.registry.storage;
  const size = storage.blobSize(call.repository, digest);
  if (size === undefined) throw blobUnknown(digest);
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    'docker-content-digest': digest,
    etag: `"${digest}"`,
  };
  if (call.method === 'HEAD') return { status: 200, headers };
  const content = storage.blobBytes(digest);
  if (!content) {
    throw blobUnknown(
      digest,
      'blob content not held: the emulator keeps only the size of layers pushed by size (a seed, /_emulator/.../push)',
    );
  }
  return { status: 200, headers, body: content };
}

/**
 * POST `/v2/<name>/blobs/uploads/`: a cross-repository mount (`mount` and `from`, 201 when the
 * other repository of the same registry has the blob), a monolithic upload (`digest`, 201), or
 * the start of an upload session (202).
 */
export function startUpload(call: RepositoryCall): RegistryResponse {
  assertWritesAllowed(call);
  const params = call.url.searchParams;
  const mount = params.get('mount');
  const from = params.get('from');
  if (mount && from && mountable(call, mount, from)) {
    call.registry.storage.linkBlob(call.repository, mount);
    return blobCreated(call, mount);
  }
  const digest = params.get('digest');
  if (digest && !mount)
    return storeBlob(call, verifiedContent(call.body, digest), digest);
  const upload = call.registry.storage.uploads.start(call.repository);
  if (call.body.length) call.registry.storage.uploads.append(upload, call.body);
  return uploadAccepted(call, upload, 202);
}

/** PATCH, PUT, GET and DELETE `/v2/<name>/blobs/uploads/<id>`. */
export function continueUpload(
  call: RepositoryCall,
  id: string,
): RegistryResponse {
  const uploads = call.registry.storage.uploads;
  const upload = uploads.get(call.repository, id);
  switch (call.method) {
    case 'GET':
      return uploadAccepted(call, upload, 204);
    case 'DELETE':
      uploads.cancel(upload);
      return { status: 204 };
    case 'PATCH':
      assertWritesAllowed(call);
      uploads.append(upload, call.body, header(call, 'content-range'));
      return uploadAccepted(call, upload, 202);
    case 'PUT': {
      assertWritesAllowed(call);
      const digest = call.url.searchParams.get('digest');
      if (!digest)
        throw digestInvalid('the digest query parameter is required');
      return storeBlob(call, uploads.finish(upload, call.body, digest), digest);
    }
    default:
      throw unsupported(call);
  }
}

export function unsupported(call: RepositoryCall): RegistryError {
  return new RegistryError(
    405,
    'UNSUPPORTED',
    `${call.method} is not supported here${
      call.method === 'DELETE' ? ': blobs are freed by garbage collection' : ''
    }`,
  );
}

function storeBlob(
  call: RepositoryCall,
  content: Buffer,
  digest: string,
): RegistryResponse {
  writeContent(
    call,
    false,
    storage => (storage.blobs.has(digest) ? 0 : content.length),
    storage =>
      storage.storeBlob(call.repository, digest, content.length, content),
  );
  return blobCreated(call, digest);
}

function mountable(
  call: RepositoryCall,
  digest: string,
  from: string,
): boolean {
  if (!isDigest(digest)) throw digestInvalid(`"${digest}" is not a digest`);
  const source = splitName(from);
  return (
    source.registry === call.registry.name &&
    call.registry.storage.blobSize(source.repository, digest) !== undefined
  );
}

function blobCreated(call: RepositoryCall, digest: string): RegistryResponse {
  return {
    status: 201,
    headers: {
      location: `/v2/${call.name}/blobs/${digest}`,
      'docker-content-digest': digest,
    },
  };
}

function uploadAccepted(
  call: RepositoryCall,
  upload: BlobUpload,
  status: number,
): RegistryResponse {
  return {
    status,
    headers: {
      location: `/v2/${call.name}/blobs/uploads/${upload.id}`,
      range: `0-${Math.max(0, upload.size - 1)}`,
      'docker-upload-uuid': upload.id,
      'content-length': '0',
    },
  };
}

function header(call: RepositoryCall, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
