// Browser test of what an operator sees of the running account: where each image runs, and the
// notifications bell after a garbage collection fails. Starts its own portal (as `./run start`
// does), as portal.e2e.test.mjs does. Needs ports 3000, 7007, 4010 and 4012 free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  APP,
  EMULATOR,
  root,
  signedInPage,
  startPortal,
} from './support/portal.mjs';
import {
  asGuest,
  openUntilShown,
  showRepositoryTags,
} from './support/e2eHelpers.mjs';

const shots = path.join(root, 'test-results');
const PORTS = [3000, 7007, 4010, 4012];

let portal;
let browser;
let page;

const screenshot = name =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const listening = port =>
  new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Waits until the portal's ports are closed, so that the next test file can start its own. */
async function portsClosed(timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const open = [];
    for (const port of PORTS) if (await listening(port)) open.push(port);
    if (!open.length) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(`ports ${open.join(', ')} still open`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  if (!process.env.E2E_PORTAL_RUNNING) {
    await portsClosed();
    portal = await startPortal({
      logFile: path.join(shots, 'portal-operations.log'),
    });
  }
  ({ browser, page } = await signedInPage());
});

after(async () => {
  await browser?.close();
  if (portal) {
    portal.stop();
    await portsClosed();
  }
});

/**
 * Waits until the catalog has read an entity of its file locations (catalog/*.yaml): they come
 * minutes after the portal's start on a busy machine, after the DigitalOcean provider's.
 */
async function catalogHas(kind, name, timeoutMs = 300_000) {
  const started = Date.now();
  for (;;) {
    // A backend restarting (a source file changed) answers nothing for a few seconds.
    const found = await asGuest(
      'GET',
      `/api/catalog/entities/by-query?filter=kind=${kind},metadata.name=${name}`,
    ).catch(() => ({ items: [] }));
    if (found.items.length) return;
    assert.ok(
      Date.now() - started < timeoutMs,
      `the catalog has ${kind}:${name}`,
    );
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

test('where images run: a registry’s tag list and a service’s Images tab show the clusters and apps running each tag, a rollback target marked so', async () => {
  // The demo's prod-ams3 runs web:v1.4.2 in its shop namespace and v1.4.1 in legacy, keeping
  // v1.4.1 for a rollback of shop; App Platform's shop-web deploys v1.4.2, its previous deployment
  // v1.4.1. The backend reads clusters and apps in the background: the tags show it once read.
  const repositoriesTab = `${APP}/catalog/default/resource/docr-acme-prod/repositories`;
  await openUntilShown(page, repositoriesTab, {
    show: () => showRepositoryTags(page, 'web'),
    locate: () =>
      page
        .getByTestId('in-use-v1.4.1')
        .getByText('prod-ams3: legacy', { exact: true }),
  });
  await page.getByRole('columnheader', { name: 'Running in' }).waitFor();
  const v141 = page.getByTestId('in-use-v1.4.1');
  await v141.getByText('rollback: app shop-web', { exact: true }).waitFor();
  await v141.getByText('rollback: prod-ams3: shop', { exact: true }).waitFor();
  const v142 = page.getByTestId('in-use-v1.4.2');
  await v142.getByText('app shop-web', { exact: true }).waitFor();
  await v142.getByText('prod-ams3: shop', { exact: true }).waitFor();
  await screenshot('registry-tags-running-in');

  // The web service's Images tab (catalog/components.yaml) lists the same tags.
  await catalogHas('Component', 'web');
  await openUntilShown(page, `${APP}/catalog/default/component/web/images`, {
    locate: () =>
      page
        .getByTestId('in-use-v1.4.2')
        .getByText('app shop-web', { exact: true }),
  });
  await page.getByRole('columnheader', { name: 'Running in' }).waitFor();
  await page
    .getByTestId('in-use-v1.4.2')
    .getByText('prod-ams3: shop', { exact: true })
    .waitFor();
  await page
    .getByTestId('in-use-v1.4.1')
    .getByText('prod-ams3: legacy', { exact: true })
    .waitFor();
  await screenshot('images-running-in');
});

/** The bell's unread count, once it is above `count`: it follows signals, else a reload. */
async function bellAbove(count, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const shown = await page
      .waitForFunction(
        n => {
          const bell = document.querySelector(
            '[aria-label="Unread notifications"]',
          );
          return bell && Number.parseInt(bell.textContent, 10) > n;
        },
        count,
        { timeout: 10_000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (shown)
      return Number.parseInt(
        await page.getByLabel('Unread notifications').textContent(),
        10,
      );
    assert.ok(
      Date.now() - started < timeoutMs,
      `the bell's count rose above ${count}`,
    );
    await page.reload({ waitUntil: 'domcontentloaded' });
  }
}

test('a failed garbage collection raises the bell’s unread count, and its notification opens the registry’s page', async () => {
  // The notifications backend finds the registry's owners (the platform team) through the
  // catalog's users and groups (catalog/org.yaml).
  await catalogHas('User', 'guest');
  const { unread } = await asGuest('GET', '/api/notifications/status');
  // DigitalOcean's next garbage collection fails (the emulator's fault).
  const res = await fetch(`${EMULATOR}/_emulator/gc/fail-next`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 1 }),
  });
  assert.equal(res.status, 200);

  await openUntilShown(page, `${APP}/catalog/default/resource/docr-acme-dev`, {
    locate: () => page.getByText('GC has never run'),
  });
  await page.getByRole('button', { name: 'Run GC now' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Run GC now' })
    .click();
  await page
    .getByTestId('last-run')
    .getByText('failed', { exact: true })
    .waitFor({ timeout: 120_000 });

  // The GC task notices the failure on its next tick and notifies the registry's owners.
  const count = await bellAbove(unread);
  assert.ok(count > unread, `${count} unread, ${unread} before`);
  await screenshot('notifications-bell');

  await page.getByRole('link', { name: /^Notifications/ }).click();
  const notification = page.getByRole('link', {
    name: 'Garbage collection of acme-dev failed',
  });
  await notification.waitFor({ timeout: 60_000 });
  await screenshot('notifications-gc-failed');
  await notification.click();
  await page.waitForURL(
    /\/catalog\/default\/resource\/docr-acme-dev\/registry$/,
  );
  await page.getByText('Garbage collection history').waitFor();
  // The run in the history: by hand, failed.
  await page
    .locator('tr', { hasText: 'run by hand' })
    .getByText('failed', { exact: true })
    .first()
    .waitFor();
});
