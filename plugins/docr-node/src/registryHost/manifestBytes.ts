import { createHash } from 'node:crypto';
import { readAtMost } from './boundedBody';
import { RegistryHostError } from './errors';

/** Manifests larger than this are refused (the OCI distribution spec's 4 MiB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const DIGEST = /^(sha256|sha512):([a-f0-9]{64}|[a-f0-9]{128})$/;

/**
 * The body of a manifest response, refused beyond the size a manifest may have: read with a byte
 * counter and cancelled past it, never buffered whole first.
 */
export async function boundedBytes(
  response: Response,
  operation: string,
): Promise<Uint8Array> {
  const bytes = await readAtMost(response, MAX_MANIFEST_BYTES);
  if (!bytes) {
    throw new RegistryHostError({
      operation,
      status: response.status,
      code: 'MANIFEST_TOO_LARGE',
      message: `a manifest is at most ${MAX_MANIFEST_BYTES} bytes`,
    });
  }
  return bytes;
}

/** The manifest's digest, after checking the bytes hash to every digest claimed for them. */
export function verifiedDigest(
  bytes: Uint8Array,
  header: string | null,
  reference: string,
  operation: string,
): string {
  const claimed = [header, DIGEST.test(reference) ? reference : null].filter(
    (digest): digest is string => Boolean(digest),
  );
  const algorithm = claimed[0]?.match(DIGEST)?.[1] ?? 'sha256';
  const actual = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
  const wrong = claimed.find(digest => digest !== actual);
  if (wrong) {
    throw new RegistryHostError({
      operation,
      code: 'DIGEST_MISMATCH',
      message: `the bytes served hash to ${actual}, not ${wrong}`,
    });
  }
  return actual;
}
