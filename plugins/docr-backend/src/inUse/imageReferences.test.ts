import { parseDocrImage } from './imageReferences';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('parseDocrImage', () => {
  it('reads a tag, a digest, both, or the implied latest of a DOCR image', () => {
    expect(
      parseDocrImage('registry.digitalocean.com/acme/team/web:v1.2'),
    ).toEqual({ registry: 'acme', repository: 'team/web', tag: 'v1.2' });
    expect(
      parseDocrImage(`registry.digitalocean.com/acme/web@${digest}`),
    ).toEqual({
      registry: 'acme',
      repository: 'web',
      digest,
    });
    expect(
      parseDocrImage(`registry.digitalocean.com/acme/web:v1@${digest}`),
    ).toEqual({ registry: 'acme', repository: 'web', digest });
    expect(parseDocrImage('registry.digitalocean.com/acme/web')).toEqual({
      registry: 'acme',
      repository: 'web',
      tag: 'latest',
    });
  });

  it("drops a container runtime's prefix from an imageID", () => {
    expect(
      parseDocrImage(
        `docker-pullable://registry.digitalocean.com/acme/web@${digest}`,
      ),
    ).toEqual({ registry: 'acme', repository: 'web', digest });
  });

  it('leaves out images of other registries and malformed references', () => {
    expect(parseDocrImage('docker.io/library/nginx:1.27')).toBeUndefined();
    expect(parseDocrImage('nginx')).toBeUndefined();
    expect(parseDocrImage('registry.digitalocean.com/acme')).toBeUndefined();
    expect(
      parseDocrImage('registry.digitalocean.com/acme/web@sha256:short'),
    ).toBeUndefined();
    expect(parseDocrImage('')).toBeUndefined();
  });
});
