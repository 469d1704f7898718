import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  MAX_PAGES,
  kubeConfigFor,
  listAll,
  readClusterObjects,
} from './clusterReader';

const CREDENTIALS = {
  server: 'https://0f3a7b52.k8s.ondigitalocean.com',
  certificate_authority_data: Buffer.from(
    '-----BEGIN CERTIFICATE-----',
  ).toString('base64'),
  token: 'doks-token',
};

/** A list call whose `continue` never ends; it gives up after `cap` pages so a test ends. */
function endlessList(cap: number) {
  let calls = 0;
  return {
    calls: () => calls,
    list: async () => {
      calls++;
      if (calls > cap) throw new Error('runaway: still paging');
      return { items: [calls], metadata: { _continue: `page-${calls}` } };
    },
  };
}

describe('listAll', () => {
  it('follows continue until the last page', async () => {
    const pages = [
      { items: [1, 2], metadata: { _continue: 'a' } },
      { items: [3], metadata: { _continue: '' } },
    ];
    let i = 0;
    await expect(listAll(async () => pages[i++])).resolves.toEqual([1, 2, 3]);
  });

  it('stops a list whose continue never ends after its page limit', async () => {
    const endless = endlessList(MAX_PAGES + 10);
    await expect(listAll(endless.list)).rejects.toThrow(
      `it lists more than ${MAX_PAGES * 500} objects of a kind`,
    );
    expect(endless.calls()).toBe(MAX_PAGES);
  });

  it('asks for no further page once aborted', async () => {
    const endless = endlessList(MAX_PAGES + 10);
    const stop = new AbortController();
    const list = async () => {
      const page = await endless.list();
      if (endless.calls() === 2) stop.abort();
      return page;
    };
    await expect(listAll(list, stop.signal)).rejects.toThrow();
    expect(endless.calls()).toBe(2);
  });
});

describe('readClusterObjects', () => {
  /** The emulator's Kubernetes stand-in's certificate, signed by its test CA. */
  const tls = (name: string) =>
    fs.readFileSync(
      resolvePackagePath('@backstage-docr/do-emulator', 'tls', name),
    );
  let server: https.Server;
  afterEach(() => {
    server.closeAllConnections();
    return new Promise(resolve => server.close(resolve));
  });

  it('aborts the request under way when its signal is aborted (an API server that never answers)', async () => {
    const stop = new AbortController();
    // Takes the request and never answers it.
    server = https.createServer(
      { key: tls('server.key'), cert: tls('server.crt') },
      () => stop.abort(),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = kubeConfigFor('silent', {
      server: `https://127.0.0.1:${port}`,
      certificate_authority_data: tls('ca.crt').toString('base64'),
      token: 'token',
    });
    await expect(readClusterObjects(config, stop.signal)).rejects.toThrow(
      /abort/i,
    );
  }, 30_000);
});

describe('kubeConfigFor', () => {
  it('verifies the API server against the CA DigitalOcean gave', () => {
    const cluster = kubeConfigFor('prod', CREDENTIALS).getCurrentCluster();
    expect(cluster).toMatchObject({
      server: CREDENTIALS.server,
      caData: CREDENTIALS.certificate_authority_data,
      skipTLSVerify: false,
    });
  });

  it('refuses an API server that is not HTTPS, so the token never goes in clear', () => {
    expect(() =>
      kubeConfigFor('prod', {
        ...CREDENTIALS,
        server: 'http://0f3a7b52.k8s.ondigitalocean.com',
      }),
    ).toThrow('DigitalOcean gave cluster prod an API server that is not HTTPS');
  });

  it('refuses credentials without the cluster CA rather than trust any public CA', () => {
    expect(() =>
      kubeConfigFor('prod', {
        ...CREDENTIALS,
        certificate_authority_data: undefined,
      }),
    ).toThrow('DigitalOcean gave no CA for cluster prod');
  });
});
