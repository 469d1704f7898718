import path from 'node:path';
import type { Knex } from 'knex';

export const MIGRATIONS = {
  directory: path.resolve(__dirname, '../../../migrations'),
  tableName: 'docr_knex_migrations',
};

/** The docr plugin's migrations, all of them, as the plugin runs them. */
export async function migrate(knex: Knex) {
  await knex.migrate.latest(MIGRATIONS);
}
