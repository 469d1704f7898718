import { createHash } from 'node:crypto';
import {
  RegistryHostError,
  type OciDescriptor,
  type RegistryManifest,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryContents } from '../../repositories/RepositoryCache';
import { ManifestFactsCache } from './ManifestFactsCache';
import { ManifestReader, readRepositoryGraph } from './readRepositoryGraph';

/** A stable fake digest for a name, for hand-built graphs. */
export const digestOf = (name: string) =>
  `sha256:${createHash('sha256').update(name).digest('hex')}`;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

const descriptor = (name: string, mediaType: string): OciDescriptor => ({
  mediaType,
  digest: digestOf(name),
  size: 100,
});

/**
 * Builds a repository in memory: manifests by name (their digest is `digestOf(name)`), tags,
 * and what DigitalOcean would list; `read()` makes its graph through readRepositoryGraph.
 */
export function testRepository(name = 'web') {
  const documents = new Map<string, RegistryManifest>();
  const contents: RepositoryContents = { name, tags: [], manifests: [] };
  const unreadable = new Set<string>();
  const add = (
    key: string,
    manifest: Omit<RegistryManifest, 'digest' | 'size'>,
  ) => {
    const digest = digestOf(key);
    documents.set(digest, { ...manifest, digest, size: 100 });
    return digest;
  };
  const repository = {
    contents,
    image(
      key: string,
      options: {
        layers?: string[];
        config?: string;
        layerType?: string;
        subject?: string;
        artifactType?: string;
      } = {},
    ) {
      return add(key, {
        mediaType: OCI_MANIFEST,
        document: {
          kind: 'manifest',
          manifest: {
            schemaVersion: 2,
            artifactType: options.artifactType,
            config: descriptor(`${key}/config`, options.config ?? IMAGE_CONFIG),
            layers: (options.layers ?? [`${key}/layer`]).map(layer =>
              descriptor(layer, options.layerType ?? LAYER),
            ),
            subject: options.subject
              ? descriptor(options.subject, OCI_MANIFEST)
              : undefined,
          },
        },
      });
    },
    index(key: string, platforms: Record<string, string>) {
      return add(key, {
        mediaType: OCI_INDEX,
        document: {
          kind: 'index',
          index: {
            schemaVersion: 2,
            manifests: Object.entries(platforms).map(([platform, child]) => {
              const [os, architecture, variant] = platform.split('/');
              return {
                ...descriptor(child, OCI_MANIFEST),
                platform: { os, architecture, variant },
              };
            }),
          },
        },
      });
    },
    /** DigitalOcean lists the manifests by name (with their blobs), the tags on them. */
    list(keys: string[], tags: Record<string, string> = {}) {
      for (const key of keys) {
        const document = documents.get(digestOf(key));
        const blobs =
          document?.document.kind === 'manifest'
            ? [
                document.document.manifest.config,
                ...document.document.manifest.layers,
              ]
            : [];
        contents.manifests.push({
          digest: digestOf(key),
          blobs: blobs.map(b => ({
            digest: b.digest,
            compressed_size_bytes: b.size,
          })),
        });
      }
      for (const [tag, key] of Object.entries(tags))
        contents.tags.push({ tag, manifest_digest: digestOf(key) });
    },
    cannotRead(key: string) {
      unreadable.add(digestOf(key));
    },
    reads: [] as string[],
    reader(): ManifestReader {
      return {
        getManifest: async (_registry, _repository, digest) => {
          repository.reads.push(digest);
          const document = documents.get(digest);
          if (!document || unreadable.has(digest)) {
            throw new RegistryHostError({
              operation: `GET ${digest}`,
              status: 404,
              code: 'MANIFEST_UNKNOWN',
              message: 'manifest unknown',
            });
          }
          return document;
        },
      };
    },
    read(cache = new ManifestFactsCache()) {
      return readRepositoryGraph({
        registry: 'acme',
        contents,
        reader: repository.reader(),
        cache,
      });
    },
  };
  return repository;
}
