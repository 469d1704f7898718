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

/** Pushes an image to the emulator's registry as a CI would (`{ repository, tag, layers }`). */
export async function emulatorPush(registry, image) {
  const res = await fetch(`${EMULATOR}/_emulator/registries/${registry}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(image),
  });
  assert.equal(res.status, 201);
}

/** A repository's tags as DigitalOcean lists them, sorted. */
export async function emulatorTags(registry, repository) {
  const res = await fetch(
    `${EMULATOR}/v2/registries/${registry}/repositories/${repository}/tags`,
    { headers: { authorization: 'Bearer e2e' } },
  );
  return (await res.json()).tags.map(t => t.tag).sort();
}

/** A GC window that opened two minutes ago and lasts two hours. */
export function windowOpenNow() {
  const start = new Date(Date.now() - 2 * 60_000);
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  return {
    days: [days[start.getUTCDay()]],
    start: start.toISOString().slice(11, 16),
    duration: 'PT2H',
    timezone: 'UTC',
  };
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

/** Opens a page of the portal, entering as guest when it asks. */
export async function openPage(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: 'Enter' });
  if (await enter.isVisible({ timeout: 5000 }).catch(() => false))
    await enter.click();
}

/**
 * Shows something the backend produces in the background (a listing, an image graph): runs
 * `show` (after opening `url`) until `locate()` finds it, reopening the page every `waitMs`
 * (10 s), since a table asks once it has rows; a page that asks again by itself (a listing being
 * made, images being read) is given longer.
 */
export async function openUntilShown(
  page,
  url,
  { show = async () => {}, locate, timeoutMs = 180_000, waitMs = 10_000 },
) {
  const started = Date.now();
  for (;;) {
    await openPage(page, url);
    try {
      await show();
      await locate().first().waitFor({ timeout: waitMs });
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
  }
}

/**
 * Shows a repository's tags on a registry's Repositories tab: clicks its row in the Repositories
 * table, not its name in the retention card above it (which renders first).
 */
export async function showRepositoryTags(page, repository) {
  const table = page
    .locator('.MuiPaper-root')
    .filter({
      has: page.getByRole('heading', { name: 'Repositories', exact: true }),
    })
    .last();
  await table.getByRole('cell', { name: repository, exact: true }).click();
  await page.getByText(`Tags of ${repository}`).waitFor();
}
