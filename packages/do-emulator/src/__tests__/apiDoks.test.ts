import { emulatorHarness } from './http';

describe('emulator API behaviour', () => {
  const h = emulatorHarness();
  const { start } = h;

  describe('DOKS integration', () => {
    const clusterId = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';
    beforeEach(() =>
      start({
        seed: {
          account: { subscriptionTier: 'professional' },
          registries: [{ name: 'a' }, { name: 'b' }],
          clusters: [{ id: clusterId, name: 'prod' }],
        },
      }),
    );

    it('sets registry_enabled and registries on clusters, and removes them', async () => {
      expect(
        (await h.call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: false, registries: [] });
      expect(
        (
          await h.call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['b', 'a'],
          })
        ).status,
      ).toBe(204);
      expect(
        (await h.call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: true, registries: ['a', 'b'] });
      expect(
        (
          await h.call('DELETE', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['a'],
          })
        ).status,
      ).toBe(204);
      expect(
        (await h.call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster.registries,
      ).toEqual(['b']);
      await h.call('DELETE', '/v2/registries/b');
      expect(
        (await h.call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: false, registries: [] });
    });

    it('answers 404 for an unknown cluster or registry and 412 for the legacy call with several registries', async () => {
      expect(
        (
          await h.call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: ['00000000-0000-4000-8000-000000000000'],
            registries: ['a'],
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await h.call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['nope'],
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await h.call('POST', '/v2/kubernetes/registry', {
            cluster_uuids: [clusterId],
          })
        ).status,
      ).toBe(412);
    });

    it('returns the cluster credentials: a stable base64 PEM CA, a fake token that expires', async () => {
      const path = `/v2/kubernetes/clusters/${clusterId}/credentials`;
      const first = await h.call('GET', path);
      expect(first.status).toBe(200);
      const { server, certificate_authority_data, token, expires_at } =
        first.body;
      expect(server).toBe(`${h.emulator.kubernetesUrl}/clusters/${clusterId}`);
      expect(
        Buffer.from(certificate_authority_data, 'base64').toString(),
      ).toMatch(
        /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/,
      );
      expect(token).toMatch(/^doks-emulator-/);
      expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
      const again = await h.call('GET', `${path}?expiry_seconds=300`);
      expect(again.body.certificate_authority_data).toBe(
        certificate_authority_data,
      );
      expect(Date.parse(again.body.expires_at)).toBeLessThanOrEqual(
        Date.now() + 300_000,
      );
      expect(
        (
          await h.call(
            'GET',
            '/v2/kubernetes/clusters/00000000-0000-4000-8000-000000000000/credentials',
          )
        ).status,
      ).toBe(404);
    });
  });
});
