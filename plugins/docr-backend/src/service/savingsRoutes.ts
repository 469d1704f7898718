import { IANAZone } from 'luxon';
import { InputError, NotFoundError } from '@backstage/errors';
import { docrRegistryReadPermission } from '@backstage-docr/plugin-docr-common';
import type express from 'express';
import type { DocrStore } from '../database/DocrStore';
import { monthlySavings } from '../savings/monthlySavings';
import { savingsCsv } from '../savings/savingsCsv';
import type { SubscriptionStore } from '../subscription/SubscriptionStore';
import type { RegistryAccess } from './RegistryAccess';
import { typedRouter, type ApiRequest } from './typedRouter';

const DAY_MS = 86_400_000;

/** What the savings routes read besides the account's store. */
export interface SavingsOptions {
  subscriptions: SubscriptionStore;
  /** The time zone of month boundaries when the request names none (`docr.savings.timezone`). */
  timezone: string;
}

type SavingsDeps = SavingsOptions & {
  account: string;
  store: DocrStore;
  access: RegistryAccess;
  /** The registry name of a caller allowed to read it (403 otherwise). */
  reader: (req: ApiRequest<{ name: string }>) => Promise<string>;
  now: () => Date;
};

/** A savings report of the subject (one registry, or the registries the caller may read). */
async function savingsReport(
  deps: SavingsDeps,
  req: ApiRequest,
  subject: { registries: string[]; registry?: string },
) {
  const { account, store } = deps;
  const months = Number(req.query.months ?? 12);
  const timezone = String(req.query.timezone ?? deps.timezone);
  if (!IANAZone.isValidZone(timezone))
    throw new InputError(
      `timezone: "${timezone}" is not an IANA time zone such as "Europe/Berlin"`,
    );
  const now = deps.now();
  // A month starts at most a day before its UTC start in any zone.
  const from = new Date(now.getTime() - (months * 31 + 1) * DAY_MS);
  const runs = subject.registry
    ? await store.savings.succeededRunsBetween({
        from,
        to: now,
        registryName: subject.registry,
      })
    : (await store.savings.succeededRunsBetween({ from, to: now })).filter(r =>
        subject.registries.includes(r.registryName),
      );
  const accountStorage = await store.savings.accountStorageSeries(from);
  const storage = subject.registry
    ? (await store.listSamples(subject.registry, from)).map(s => ({
        at: s.sampledAt,
        bytes: s.storageBytes,
      }))
    : accountStorage;
  const view = monthlySavings({
    now,
    timezone,
    months,
    tier: (await deps.subscriptions.latest(account))?.tier,
    runs,
    retention: await store.retentionSummaries(runs),
    storage,
    accountStorage,
  });
  return {
    account,
    ...(subject.registry ? { registry: subject.registry } : {}),
    registries: subject.registries,
    ...view,
  };
}

/** The report as JSON, or as CSV with `format=csv`. */
function send(
  account: string,
  req: ApiRequest,
  res: express.Response,
  view: any,
) {
  if (req.query.format === 'csv') {
    const name = view.registry ?? `account-${account}`;
    res
      .type('text/csv')
      .attachment(`docr-savings-${name}.csv`)
      .send(savingsCsv(view));
    return;
  }
  res.json(view);
}

/**
 * What garbage collection and retention saved, per registry and over the account's registries
 * the caller may read, as JSON or CSV. Read from the database only (runs, retention journal,
 * samples, the tier of the last listing): never a DigitalOcean call.
 */
export function savingsRoutes(deps: SavingsDeps): express.Router {
  const { account, store } = deps;
  const router = typedRouter();

  router.get('/registries/:name/savings', async (req, res) => {
    const name = await deps.reader(req);
    if (!(await store.currentRegistryNames()).includes(name))
      throw new NotFoundError(`No registry ${name} in account ${account}`);
    send(
      account,
      req,
      res,
      await savingsReport(deps, req, { registries: [name], registry: name }),
    );
  });

  router.get('/savings', async (req, res) => {
    const creds = await deps.access.credentials(req);
    const readable = await deps.access.allowedRegistries(
      creds,
      docrRegistryReadPermission,
      await store.currentRegistryNames(),
    );
    // The account's storage and tier are in every report: only for who may read the account.
    if (!readable.size)
      await deps.access.authorizeOnSubscription(
        creds,
        docrRegistryReadPermission,
      );
    send(
      account,
      req,
      res,
      await savingsReport(deps, req, { registries: [...readable].sort() }),
    );
  });

  return router;
}
