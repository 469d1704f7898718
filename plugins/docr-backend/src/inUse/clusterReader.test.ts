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
import { PageTooLargeError } from './boundedHttpLibrary';

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

  it('asks for half as many objects when a page is over its byte bound, and goes on at that size', async () => {
    const limits: number[] = [];
    const list = async ({ limit }: { limit: number; _continue?: string }) => {
      limits.push(limit);
      if (limit > 125) throw new PageTooLargeError(64);
      return limits.length < 5
        ? { items: [limits.length], metadata: { _continue: 'more' } }
        : { items: [limits.length] };
    };
    await expect(listAll(list)).resolves.toEqual([3, 4, 5]);
    expect(limits).toEqual([500, 250, 125, 125, 125]);
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

  it('refuses a page larger than its byte bound before holding it all', async () => {
    let sent = 0;
    // Streams an endless list of pods.
    server = https.createServer(
      { key: tls('server.key'), cert: tls('server.crt') },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"kind":"PodList","items":[');
        const more = () => {
          while (res.write(`{"metadata":{"name":"pod-${sent}"}},`)) sent++;
          if (!res.destroyed) res.once('drain', more);
        };
        more();
      },
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = kubeConfigFor('flood', {
      server: `https://127.0.0.1:${port}`,
      certificate_authority_data: tls('ca.crt').toString('base64'),
      token: 'token',
    });
    await expect(
      readClusterObjects(config, new AbortController().signal, 1024 * 1024),
    ).rejects.toThrow(
      "the cluster's API answered with more than 1048576 bytes for one page",
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
