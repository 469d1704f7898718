import { DoEmulator } from '../http/server';

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

/** A minimal HTTP caller for emulator tests: JSON in and out, with a bearer token. */
export function caller(emulator: DoEmulator, token = 'test-token') {
  return async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<CallResult> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
  };
}

/**
 * The API tests' harness, called inside a `describe`: `start` brings up an emulator (responses
 * validated against the spec) with a caller for it, stopped after each test.
 */
export function emulatorHarness() {
  let started:
    { emulator: DoEmulator; call: ReturnType<typeof caller> } | undefined;
  const current = () => {
    if (!started) throw new Error('start() the emulator first');
    return started;
  };
  afterEach(async () => {
    await started?.emulator.stop();
    started = undefined;
  });
  return {
    get emulator(): DoEmulator {
      return current().emulator;
    },
    /** Calls the emulator's API with the default test token. */
    get call(): ReturnType<typeof caller> {
      return current().call;
    },
    async start(options: Parameters<typeof DoEmulator.start>[0] = {}) {
      const emulator = await DoEmulator.start({
        validateResponses: true,
        ...options,
      });
      started = { emulator, call: caller(emulator) };
    },
  };
}
