import { parseManifestDocument } from './ociTypes';

const bytes = (document: unknown) => Buffer.from(JSON.stringify(document));
const descriptor = {
  mediaType: 'm',
  digest: `sha256:${'a'.repeat(64)}`,
  size: 1,
};

describe('parseManifestDocument', () => {
  it('tells an index from an image manifest by the content type, else by shape', () => {
    const index = parseManifestDocument(
      bytes({ schemaVersion: 2, manifests: [descriptor] }),
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    expect(index?.document.kind).toBe('index');
    expect(index?.mediaType).toBe(
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    const manifest = parseManifestDocument(
      bytes({ schemaVersion: 2, config: descriptor, layers: [descriptor] }),
      undefined,
    );
    expect(manifest).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      document: { kind: 'manifest' },
    });
  });

  it('is undefined for a schema 1 manifest, a malformed one, or not JSON', () => {
    expect(
      parseManifestDocument(
        bytes({ schemaVersion: 1, fsLayers: [] }),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      parseManifestDocument(
        bytes({ schemaVersion: 2, config: {}, layers: [] }),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      parseManifestDocument(
        bytes({ schemaVersion: 2, config: descriptor, layers: [] }),
        'application/vnd.oci.image.index.v1+json',
      ),
    ).toBeUndefined();
    expect(
      parseManifestDocument(Buffer.from('<html>'), 'text/html'),
    ).toBeUndefined();
  });
});
