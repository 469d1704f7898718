import type { DoEmulator } from '../http/server';

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
