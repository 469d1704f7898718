import { createHash } from 'node:crypto';
import type { EmulatedAccount } from '../model/account';

/** DigitalOcean's registry host, as images on DOKS name it. */
export const DOCR_HOST = 'registry.digitalocean.com';

/**
 * The digest an image reference resolves to when a node pulls it, as the kubelet reports it in
 * `status.containerStatuses[].imageID` (`<repository>@sha256:…`); undefined when it cannot be
 * pulled (an image of the emulated registry that is not there). An image of another registry
 * resolves to a digest derived from its reference: the emulator does not hold it.
 */
export function resolveImageId(
  account: EmulatedAccount,
  image: string,
): string | undefined {
  const { repository, tag, digest } = splitImage(image);
  if (!repository.startsWith(`${DOCR_HOST}/`)) {
    return `${repository}@${digest ?? fakeDigest(image)}`;
  }
  const [registryName, ...rest] = repository
    .slice(DOCR_HOST.length + 1)
    .split('/');
  const stored = account.registries
    .get(registryName)
    ?.storage.repositories.get(rest.join('/'));
  if (!stored) return undefined;
  const resolved = digest ?? stored.tags.get(tag ?? 'latest');
  if (!resolved || !stored.manifests.has(resolved)) return undefined;
  return `${repository}@${resolved}`;
}

/** `host/path:tag@digest` split into its parts (the tag and digest are optional). */
export function splitImage(image: string): {
  repository: string;
  tag?: string;
  digest?: string;
} {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  if (colon > slash) {
    return {
      repository: named.slice(0, colon),
      tag: named.slice(colon + 1),
      digest,
    };
  }
  return { repository: named, digest };
}

function fakeDigest(image: string): string {
  return `sha256:${createHash('sha256').update(image).digest('hex')}`;
}
