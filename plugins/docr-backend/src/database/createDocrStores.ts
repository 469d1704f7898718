import type { Knex } from 'knex';
import {
  type DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-common';
import type { NotificationLedger } from '../notifications/NotificationLedger';
import type { RegistryCreationStore } from '../service/RegistryCreationStore';
import type { SubscriptionStore } from '../subscription/SubscriptionStore';
import { DatabaseDeletionJournal } from './DatabaseDeletionJournal';
import { DatabaseNotificationLedger } from './DatabaseNotificationLedger';
import { DatabasePolicyStore } from './DatabasePolicyStore';
import { DatabaseRegistryCreationStore } from './DatabaseRegistryCreationStore';
import { DatabaseRetentionBudgetStore } from './DatabaseRetentionBudgetStore';
import { DatabaseRunStore } from './DatabaseRunStore';
import { DatabaseSavingsStore } from './DatabaseSavingsStore';
import { DatabaseStorageStore } from './DatabaseStorageStore';
import { DatabaseSubscriptionStore } from './DatabaseSubscriptionStore';
import { AccountStores, DocrStore } from './DocrStore';

const migrationsDir = resolvePackagePath(
  '@backstage-docr/plugin-docr-backend',
  'migrations',
);

/** Every store of the docr plugin. */
export interface DocrStores {
  /** The account-keyed stores, as the default (or given) account sees them; `forAccount` for another. */
  docr: DocrStore;
  subscriptions: SubscriptionStore;
  creations: RegistryCreationStore;
  notificationLedger: NotificationLedger;
}

/** Migrates the docr plugin's tables to the latest version. */
export async function migrateDocrDatabase(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: migrationsDir,
    tableName: 'docr_knex_migrations',
  });
}

/**
 * The docr plugin's stores in its database (the `Database*` implementations, one knex client
 * shared), after migrating its tables unless the database service or `skipMigrations` says not to.
 */
export async function createDocrStores(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
  /** The account of the `docr` store returned; the default account otherwise. */
  account?: string;
}): Promise<DocrStores> {
  const db = await options.database.getClient();
  if (!options.database.migrations?.skip && !options.skipMigrations)
    await migrateDocrDatabase(db);
  const storesOf = (account: string): AccountStores => ({
    policies: new DatabasePolicyStore(db, account),
    runs: new DatabaseRunStore(db, account),
    storage: new DatabaseStorageStore(db, account),
    savings: new DatabaseSavingsStore(db, account),
  });
  return {
    docr: new DocrStore(options.account ?? DEFAULT_ACCOUNT_ID, storesOf, {
      journal: new DatabaseDeletionJournal(db),
      retentionBudget: new DatabaseRetentionBudgetStore(db),
    }),
    subscriptions: new DatabaseSubscriptionStore(db),
    creations: new DatabaseRegistryCreationStore(db),
    notificationLedger: new DatabaseNotificationLedger(db),
  };
}
