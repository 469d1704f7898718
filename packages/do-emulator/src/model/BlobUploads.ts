import { randomUUID } from 'node:crypto';
import { digestOf, isDigest } from './manifestDocument';
import { RegistryError, digestInvalid } from './registryErrors';

/** A blob upload in progress (OCI Distribution's upload session). */
export interface BlobUpload {
  id: string;
  repository: string;
  chunks: Buffer[];
  /** Bytes received so far. */
  size: number;
}

/** A registry's blob upload sessions: started by POST, fed by PATCH, finished by PUT. */
export class BlobUploads {
  private readonly sessions = new Map<string, BlobUpload>();

  start(repository: string): BlobUpload {
    const upload = { id: randomUUID(), repository, chunks: [], size: 0 };
    this.sessions.set(upload.id, upload);
    return upload;
  }

  get(repository: string, id: string): BlobUpload {
    const upload = this.sessions.get(id);
    if (!upload || upload.repository !== repository) {
      throw new RegistryError(
        404,
        'BLOB_UPLOAD_UNKNOWN',
        'blob upload unknown to registry',
        { id },
      );
    }
    return upload;
  }

  /** Appends a chunk; a `Content-Range` must start where the upload stands (else 416). */
  append(upload: BlobUpload, chunk: Buffer, contentRange?: string): void {
    if (contentRange !== undefined) {
      const match = /^(?:bytes[ =])?(\d+)-(\d+)$/.exec(contentRange.trim());
      const start = match ? Number(match[1]) : NaN;
      const end = match ? Number(match[2]) : NaN;
      if (start !== upload.size || end - start + 1 !== chunk.length) {
        throw new RegistryError(
          416,
          'BLOB_UPLOAD_INVALID',
          `Content-Range ${contentRange} does not continue the upload, which holds ${upload.size} bytes`,
        );
      }
    }
    upload.chunks.push(chunk);
    upload.size += chunk.length;
  }

  /** Ends the upload with its last chunk; its content must have the digest the client names. */
  finish(upload: BlobUpload, lastChunk: Buffer, digest: string): Buffer {
    this.append(upload, lastChunk);
    // Ended either way: after a digest mismatch the client starts over.
    this.sessions.delete(upload.id);
    return verifiedContent(Buffer.concat(upload.chunks), digest);
  }

  cancel(upload: BlobUpload): void {
    this.sessions.delete(upload.id);
  }
}

/** The content, when its digest is `digest`; DIGEST_INVALID otherwise. */
export function verifiedContent(content: Buffer, digest: string): Buffer {
  if (!isDigest(digest)) {
    throw digestInvalid(`"${digest}" is not a sha256 or sha512 digest`);
  }
  const actual = digestOf(content, digest);
  if (actual !== digest) {
    throw digestInvalid(
      `provided digest did not match uploaded content: ${digest} given, ${actual} uploaded`,
    );
  }
  return content;
}
