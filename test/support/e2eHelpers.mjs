// Helpers of the browser test: the emulator's and the backend's answers, and sizes as the
// cards format them.
import assert from 'node:assert/strict';
import { EMULATOR } from './portal.mjs';

export const BACKEND = 'http://localhost:7007';

export async function emulatorRegistry(name) {
  const res = await fetch(`${EMULATOR}/v2/registries/${name}`, {
    headers: { authorization: 'Bearer e2e' },
  });
  return (await res.json()).registry;
}

export async function emulatorRegistryCount() {
  const res = await fetch(`${EMULATOR}/v2/registries`, {
    headers: { authorization: 'Bearer e2e' },
  });
  return (await res.json()).registries.length;
}

/** As the cards format sizes (plugins/docr/src/components/format.ts). */
export function formatBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** The backend's REST API as the demo's guest (a member of the platform team). */
export async function asGuest(method, pathname, body) {
  const auth = await fetch(`${BACKEND}/api/auth/guest/refresh`);
  const { token } = (await auth.json()).backstageIdentity;
  const res = await fetch(`${BACKEND}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(
    res.ok,
    `${method} ${pathname}: ${res.status} ${await res.clone().text()}`,
  );
  return res.json();
}
