import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type OpenAPIBackend from 'openapi-backend';
import { EmulatedAccount } from '../model/account';
import type { RegistryHost } from '../registry/RegistryHost';
import type { KubernetesApiServer } from '../kubernetes/KubernetesApiServer';
import { kubernetesTls } from '../kubernetes/tls';
import type { Layer } from '../model/registryStorage';
import { EmulatorSeed, applySeed } from '../seed';
import { Faults } from './Faults';
import { responseProblem } from './openApiValidation';
import { sharedOperationRouter } from './operationRouter';
import { RequestPipeline } from './RequestPipeline';
import { RateLimiter } from './RateLimiter';
import { RequestLog, counter } from './RequestLog';

export interface DoEmulatorOptions {
  /** Registries, DOKS clusters and images to start with. */
  seed?: EmulatorSeed;
  /**
   * The bearer tokens accepted (one, or several accounts' worth); without it any non-empty
   * bearer token is accepted. Requests record which one they carried (`tokenIndex`).
   */
  token?: string | string[];
  /** Time each garbage collection status lasts (default 2000 ms). */
  gcStepMs?: number;
  /** How long reported storage lags behind a push or a collection, as on DigitalOcean (default 0). */
  storageLagMs?: number;
  /** Latency added to every API request. */
  latencyMs?: number;
  rateLimitPerMinute?: number;
  rateLimitPerHour?: number;
  /** Length of the rate limiter's "minute" (default 60 000 ms); tests shorten it. */
  rateLimitWindowMs?: number;
  /** The emulator's clock in epoch ms (default Date.now); tests control time with it. */
  clock?: () => number;
  /** What added latency waits on (default: real time); a test's clock makes it wait for the test. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Check every response against the OpenAPI spec before sending it; a response that does not
   * validate is replaced by a 500 naming the problem, so tests fail loudly on drift.
   */
  validateResponses?: boolean;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Port of the registry host (OCI Distribution, the stand-in for registry.digitalocean.com),
   * a second listener on `host`; 0 (default) picks a free port.
   */
  registryPort?: number;
  /**
   * Port of the DOKS clusters' Kubernetes API stand-in (a third listener on `host`, HTTPS with
   * a certificate for 127.0.0.1 and localhost, each cluster under `/clusters/<id>`); 0 (default)
   * picks a free port.
   */
  kubernetesPort?: number;
}

/**
 * An HTTP server that behaves like DigitalOcean's API for the Container Registry and DOKS
 * registry integration, serving `/v2/...`, plus `/_emulator/...` endpoints that tests and demos
 * use to push images, add clusters, inject faults and read request counters.
 */
export class DoEmulator {
  private currentAccount: EmulatedAccount;
  readonly faults = new Faults();
  /** Requests to DigitalOcean's API. */
  readonly requests: RequestLog;
  /** Requests to the registry host; numbered in one sequence with `requests` (`seq`). */
  readonly registryRequests: RequestLog;
  /** Its `options` are read at each request (the soak benchmark changes them while it runs). */
  private readonly rateLimiter: RateLimiter;
  private readonly pipeline: RequestPipeline;
  private server?: http.Server;
  private registryServer?: http.Server;
  private kubernetesServer?: https.Server;
  private readonly clock: () => number;
  private seed?: EmulatorSeed;
  private kubernetesCa = '';

  private constructor(
    private readonly options: DoEmulatorOptions,
    private readonly api: OpenAPIBackend,
  ) {
    this.clock = options.clock ?? Date.now;
    const arrival = counter();
    this.requests = new RequestLog(() => this.clock(), arrival);
    this.registryRequests = new RequestLog(() => this.clock(), arrival);
    this.currentAccount = this.newAccount();
    this.faults.latencyMs = options.latencyMs ?? 0;
    this.rateLimiter = new RateLimiter({
      perMinute: options.rateLimitPerMinute ?? 250,
      perHour: options.rateLimitPerHour ?? 5000,
      minuteMs: options.rateLimitWindowMs,
    });
    this.pipeline = new RequestPipeline({
      emulator: this,
      api,
      rateLimiter: this.rateLimiter,
      clock: () => this.clock(),
      options,
    });
  }

  /** Creates an emulator and starts serving; resolves once it listens. */
  static async start(options: DoEmulatorOptions = {}): Promise<DoEmulator> {
    const emulator = new DoEmulator(options, await sharedOperationRouter());
    emulator.loadSeed(options.seed);
    const host = options.host ?? '127.0.0.1';
    try {
      await Promise.all([
        emulator.listen(host, options.port ?? 0),
        emulator.listenRegistry(host, options.registryPort ?? 0),
        emulator.listenKubernetes(host, options.kubernetesPort ?? 0),
      ]);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
    return emulator;
  }

  /** The emulated DigitalOcean account: registries, subscription, clusters. */
  get account(): EmulatedAccount {
    return this.currentAccount;
  }

  /** The emulator's base URL; the API is under `${url}/v2`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The emulator is not listening');
    return `http://${this.options.host ?? '127.0.0.1'}:${address.port}`;
  }

  /** The registry host's base URL: `/v2/<registry>/<repository>/manifests/<reference>` etc. */
  get registryUrl(): string {
    const address = this.registryServer?.address() as AddressInfo | null;
    if (!address) throw new Error('The emulator is not listening');
    return `http://${this.options.host ?? '127.0.0.1'}:${address.port}`;
  }

  /** The Kubernetes API stand-in's base URL: cluster `<id>` is under `${url}/clusters/<id>`. */
  get kubernetesUrl(): string {
    const address = this.kubernetesServer?.address() as AddressInfo | null;
    if (!address) throw new Error('The emulator is not listening');
    return `https://${this.options.host ?? '127.0.0.1'}:${address.port}`;
  }

  async stop(): Promise<void> {
    await closeServer(this.registryServer);
    this.registryServer = undefined;
    await closeServer(this.kubernetesServer);
    this.kubernetesServer = undefined;
    this.pipeline.destroyHungSockets();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Replaces all state with the seed (or an empty account) and clears faults and counters. */
  loadSeed(seed: EmulatorSeed | undefined): void {
    this.seed = seed;
    this.currentAccount = this.newAccount();
    if (seed) applySeed(this.currentAccount, seed);
    this.faults.clear();
    this.faults.latencyMs = this.options.latencyMs ?? 0;
    this.requests.reset();
    this.registryRequests.reset();
    this.rateLimiter.reset();
  }

  reset(): void {
    this.loadSeed(this.seed);
  }

  /** Pushes an image as `docker push` would; re-pushing a tag leaves the old manifest untagged. */
  push(registry: string, repository: string, tag: string, layers: Layer[]) {
    return this.account.push(registry, repository, tag, layers);
  }

  /** Why a response does not match the spec, or undefined when it does. */
  responseProblem(
    operationId: string,
    response: {
      status: number;
      headers: Record<string, string>;
      body?: unknown;
    },
  ): string | undefined {
    return responseProblem(this.api, operationId, response);
  }

  /** The OpenAPI router, for tests that check requests and responses against the spec. */
  get openApi(): OpenAPIBackend {
    return this.api;
  }

  private newAccount(): EmulatedAccount {
    return new EmulatedAccount({
      now: () => this.clock(),
      gcStepMs: this.options.gcStepMs ?? 2000,
      storageLagMs: this.options.storageLagMs ?? 0,
      takenNames: this.seed?.account?.takenNames,
      kubernetesApi: () =>
        this.kubernetesServer?.listening
          ? { url: this.kubernetesUrl, ca: this.kubernetesCa }
          : undefined,
    });
  }

  private listen(host: string, port: number): Promise<void> {
    this.server = http.createServer(this.pipeline.listener);
    this.server.keepAliveTimeout = 5_000;
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  private listenRegistry(host: string, port: number): Promise<void> {
    // The registry host's modules load on its first request rather than at import (about 20 ms
    // of the emulator's start, which most tests and demos spend on the API alone).
    let registry: RegistryHost | undefined;
    const server = http.createServer((req, res) => {
      if (!registry) {
        const loaded: typeof import('../registry/RegistryHost') = require('../registry/RegistryHost');
        registry = new loaded.RegistryHost({
          account: () => this.account,
          url: () => this.registryUrl,
          requests: this.registryRequests,
        });
      }
      registry.listener(req, res);
    });
    this.registryServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  }

  private listenKubernetes(host: string, port: number): Promise<void> {
    // Its modules load on its first request, as the registry host's do.
    let api: KubernetesApiServer | undefined;
    const tls = kubernetesTls();
    this.kubernetesCa = tls.ca.toString('base64');
    const server = https.createServer(
      { key: tls.key, cert: tls.cert },
      (req, res) => {
        if (!api) {
          const loaded: typeof import('../kubernetes/KubernetesApiServer') = require('../kubernetes/KubernetesApiServer');
          api = new loaded.KubernetesApiServer(() => this.account.kubernetes);
        }
        api.listener(req, res);
      },
    );
    this.kubernetesServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  }
}

async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}
