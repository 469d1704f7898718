// Browser test of the portal: started by the test itself (as `./run start` does), driven by
// Playwright in Debian's Chromium. Needs ports 3000, 7007 and 4010 free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP, root, signedInPage, startPortal } from './support/portal.mjs';
import {
  asGuest,
  emulatorRegistry,
  emulatorPush,
  emulatorRegistryCount,
  emulatorTags,
  formatBytes,
  openPage,
  openUntilShown,
  showRepositoryTags,
  windowOpenNow,
} from './support/e2eHelpers.mjs';

const shots = path.join(root, 'test-results');

let portal;
let browser;
let page;

const screenshot = name =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const open = pathname => openPage(page, `${APP}${pathname}`);

/** Opens a page until it shows the text: catalog entities appear a few seconds after start. */
const openUntil = (pathname, text, timeoutMs = 120_000) =>
  openUntilShown(page, `${APP}${pathname}`, {
    locate: () => page.getByText(text, { exact: true }),
    timeoutMs,
  });

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  if (!process.env.E2E_PORTAL_RUNNING) {
    portal = await startPortal({ logFile: path.join(shots, 'portal.log') });
  }
  ({ browser, page } = await signedInPage());
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

test('the registry page shows the emulator’s figures, and GC run from it frees storage', async () => {
  await openUntil(
    '/catalog/default/resource/docr-acme-dev',
    'Container registry',
  );
  const registry = await emulatorRegistry('acme-dev');
  // The card shows "—" until the docr API answers, then DigitalOcean's figure.
  const figure = formatBytes(registry.storage_usage_bytes);
  await page
    .getByTestId('storage-label')
    .getByText(figure, { exact: false })
    .waitFor({ timeout: 30_000 });
  const label = await page.getByTestId('storage-label').textContent();
  assert.ok(label.startsWith(figure), label);
  // The subscription is the account's: its limit applies to all three registries together.
  await page
    .getByTestId('account-storage-label')
    .getByText(/shared by the account's/)
    .waitFor({ timeout: 30_000 });
  const account = await page.getByTestId('account-storage-label').textContent();
  assert.match(
    account,
    /of 100 GiB included .*, shared by the account's 3 registries$/,
  );
  await page.getByText('staging-fra1').waitFor();
  await page.getByText('GC has never run').waitFor();
  await screenshot('registry-overview');

  await page.getByRole('button', { name: 'Run GC now' }).click();
  await page
    .getByText('The registry turns read-only while garbage collection runs')
    .waitFor();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Run GC now' })
    .click();
  await page.getByTestId('active-run').locator('.MuiChip-root').waitFor();
  await page
    .getByTestId('last-run')
    .getByText(/freed/)
    .waitFor({ timeout: 120_000 });
  // DigitalOcean (and the demo's emulator) updates storage a while after the GC ends.
  let after = await emulatorRegistry('acme-dev');
  const started = Date.now();
  while (
    after.storage_usage_bytes >= registry.storage_usage_bytes &&
    Date.now() - started < 60_000
  ) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    after = await emulatorRegistry('acme-dev');
  }
  assert.ok(
    after.storage_usage_bytes < registry.storage_usage_bytes,
    'the emulator’s storage dropped',
  );
  // Both cards show DigitalOcean's new figure once it has it: the GC task records it on a
  // later tick, and the cards follow within one refresh.
  const newFigure = formatBytes(after.storage_usage_bytes);
  await page
    .getByTestId('storage-now')
    .getByText(`Storage: ${newFigure}`, { exact: true })
    .waitFor({ timeout: 45_000 });
  await page
    .getByTestId('storage-label')
    .getByText(newFigure, { exact: false })
    .waitFor({ timeout: 45_000 });
  await screenshot('registry-after-gc');

  await open('/catalog/default/resource/docr-acme-dev/registry');
  await page.getByText('Garbage collection history').waitFor();
  await page
    .getByText(/run by hand/)
    .first()
    .waitFor();
  await screenshot('registry-tab');

  await open('/catalog/default/resource/doks-prod-ams3');
  await page.getByText('Container registries', { exact: true }).waitFor();
  await page.locator('a[href$="/resource/docr-acme-prod"]').first().waitFor();
  await screenshot('cluster');
});

test('the production template runs through the scaffolder UI and its registry page opens', async () => {
  await open('/create');
  const card = page.locator('.MuiCard-root', {
    hasText: 'Production container registries (two regions)',
  });
  await card.getByRole('button', { name: 'Choose' }).click();
  await page.getByLabel('Base name').fill('e2e');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('link', { name: 'Primary registry' })
    .waitFor({ timeout: 120_000 });
  assert.equal((await emulatorRegistry('e2e-fra1')).region, 'fra1');
  assert.equal((await emulatorRegistry('e2e-ams3')).region, 'ams3');
  await screenshot('scaffolder-done');
  await openUntil(
    '/catalog/default/resource/docr-e2e-fra1',
    'registry.digitalocean.com/e2e-fra1',
  );
});

test('a dev registry through the form: the name is checked with DigitalOcean as it is typed, and the account page counts it', async () => {
  await open('/create');
  const card = page.locator('.MuiCard-root', {
    hasText: 'Development container registry',
  });
  await card.getByRole('button', { name: 'Choose' }).click();
  const name = page.getByTestId('docr-registry-name');
  await name.fill('acme-prod');
  await page
    .getByText('acme-prod is taken (names are unique across DigitalOcean)')
    .waitFor({ timeout: 20_000 });
  await name.fill('e2e-dev');
  await page.getByText('e2e-dev is free').waitFor({ timeout: 20_000 });
  await screenshot('scaffolder-name-check');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('link', { name: 'Registry in the catalog' })
    .waitFor({ timeout: 120_000 });
  assert.equal((await emulatorRegistry('e2e-dev')).region, 'fra1');

  // The account's page: the subscription, shared by all its registries, the new one included.
  await openUntil(
    '/catalog/default/resource/do-registry-subscription-default',
    'Container registry subscription',
  );
  // DigitalOcean's count, whatever other tests created before this one.
  const expected = await emulatorRegistryCount();
  const registries = page.getByTestId('subscription-registries');
  const count = async () =>
    Number((await registries.textContent()).match(/Registries: (\d+)/)[1]);
  // The count comes from the docr API at once; the list of registries from the catalog's
  // relations, once its refresh after the template has run: reload until both show it.
  const link = page.locator('a[href$="/resource/docr-e2e-dev"]').first();
  const started = Date.now();
  for (;;) {
    await page.waitForTimeout(2000); // the card's figures and related entities load
    if ((await count()) >= expected && (await link.isVisible())) break;
    if (Date.now() - started > 150_000) break;
    await page.reload();
    await registries.waitFor();
  }
  assert.equal(
    await registries.textContent(),
    `Registries: ${expected} of 10 the tier allows`,
  );
  await link.waitFor({ timeout: 10_000 });
  await screenshot('account');
});

test('retention: the Repositories tab, a tag list, rules edited on the page with their preview, and a window run deleting the tags before its GC', async () => {
  // A CI-like repository: eight commit builds pushed to acme-staging.
  for (let i = 0; i < 8; i++)
    await emulatorPush('acme-staging', {
      repository: 'e2e-ci',
      tag: `sha-e2e${i}`,
      layers: [{ size: 1024 * 1024 * (i + 1) }],
    });

  await openUntil(
    '/catalog/default/resource/docr-acme-staging/repositories',
    'Repositories',
  );
  // The docr API lists the registry in the background; the tab asks again until it has it.
  await page
    .getByText('e2e-ci', { exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
  await showRepositoryTags(page, 'e2e-ci');
  await page
    .getByText(
      'docker pull registry.digitalocean.com/acme-staging/e2e-ci:sha-e2e7',
    )
    .waitFor({ timeout: 60_000 });

  // Rules, edited on the page: keep the 3 newest of e2e-ci.
  await page.getByRole('button', { name: 'Add rules' }).click();
  await page.getByRole('button', { name: 'Add a rule' }).click();
  await page.getByTestId('rule-0-repositories').fill('e2e-ci');
  await page.getByTestId('rule-0-keepNewest').fill('3');
  await page.getByTestId('rule-0-deleteOlderThan').fill('');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await page
    .getByTestId('retention-summary')
    .getByText(/Would delete 5 tags/)
    .waitFor({ timeout: 60_000 });
  for (const tag of ['sha-e2e0', 'sha-e2e4'])
    await page.getByText(tag, { exact: true }).first().waitFor();
  await screenshot('retention');

  // A window open now: the GC task deletes the tags the rules select, then collects.
  const policyPath = '/api/docr/registries/acme-staging/policy';
  const { policy } = await asGuest('GET', policyPath);
  assert.deepEqual(policy.retention.rules, [
    {
      repositories: ['e2e-ci'],
      keepNewest: 3,
      protect: ['latest'],
      protectSemver: true,
    },
  ]);
  await asGuest('PUT', policyPath, { ...policy, windows: [windowOpenNow()] });

  await open('/catalog/default/resource/docr-acme-staging/registry');
  await page.getByText('Garbage collection history').waitFor();
  // The GC task ticks every 3 s (the tests' config); the history shows the run once it has deleted.
  const started = Date.now();
  for (;;) {
    const shown = await page
      .getByText('5 tags (rule 1: 5)')
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) break;
    assert.ok(
      Date.now() - started < 150_000,
      'the window run deleted the tags',
    );
    await page.reload();
    await page.getByText('Garbage collection history').waitFor();
  }
  assert.deepEqual(await emulatorTags('acme-staging', 'e2e-ci'), [
    'sha-e2e5',
    'sha-e2e6',
    'sha-e2e7',
  ]);
  await screenshot('retention-run');
});

test('images as they are: the multi-arch gateway’s platforms, the signed payments image, and its signature kept with it', async () => {
  // The demo's rules on acme-prod keep every tag: a signature follows its image.
  const repositoriesTab = `${APP}/catalog/default/resource/docr-acme-prod/repositories`;
  // The preview asks again while the backend reads the images (503), the tag lists while it says
  // their images are pending: no reload needed once the page shows.
  await openUntilShown(page, repositoriesTab, {
    show: () => page.getByPlaceholder('Filter').first().fill('payments'),
    locate: () => page.getByText('signature of 2.3.1: kept with it'),
    waitMs: 90_000,
  });
  await page
    .getByTestId('closure-payments-2.3.1')
    .getByText(/^signature sha256-[0-9a-f]{12}….sig: kept with it$/)
    .waitFor();
  await screenshot('images-retention');

  // The backend reads each image's graph through the registry host; the tags show it once read.
  const showTags = repository => () => showRepositoryTags(page, repository);
  await openUntilShown(page, repositoriesTab, {
    show: showTags('gateway'),
    locate: () => page.getByTestId('image-1.4.0').getByText('linux/arm64'),
    waitMs: 90_000,
  });
  await page.getByTestId('image-1.4.0').getByText('linux/amd64').waitFor();
  await screenshot('images-multi-arch');

  await openUntilShown(page, repositoriesTab, {
    show: showTags('payments'),
    locate: () => page.getByTestId('image-2.3.1').getByText('signed'),
    waitMs: 90_000,
  });
  await page.getByTestId('image-2.3.1').getByText('attested').waitFor();
  await page.getByText('attachment: signature').waitFor();
  await screenshot('images-signed');
});

test('App Platform: a registry’s page lists the apps that deploy from it, and an app’s page shows its images, deploy on push and the cross-region warning', async () => {
  await openUntil(
    '/catalog/default/resource/docr-acme-prod',
    'Container registry',
  );
  await page
    .locator('a[href$="/resource/doapp-shop-web"]')
    .first()
    .waitFor({ timeout: 60_000 });
  await page.locator('a[href$="/resource/doapp-shop-api"]').first().waitFor();
  // The demo's shop-api runs in Frankfurt from the Amsterdam registry.
  await page
    .getByTestId('docr-cross-region')
    .getByText(/shop-api runs in fra1, the registry in ams3/)
    .waitFor();
  await screenshot('registry-apps');

  await openUntil(
    '/catalog/default/resource/doapp-shop-web',
    'App Platform app',
  );
  await page
    .getByText('registry.digitalocean.com/acme-prod/web:v1.4.2')
    .waitFor();
  await page.getByText('Yes: a push of latest deploys it').waitFor();
  await page.locator('a[href$="/resource/docr-acme-prod"]').first().waitFor();
  await screenshot('app');

  await open('/catalog/default/resource/doapp-shop-api');
  await page
    .getByTestId('docr-cross-region')
    .getByText(/shop-api runs in fra1, acme-prod is in ams3/)
    .waitFor({ timeout: 30_000 });
});
