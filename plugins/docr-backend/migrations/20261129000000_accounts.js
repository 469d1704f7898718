// @ts-check

/**
 * Registry names are unique per DigitalOcean account only: policies, runs, samples and listings
 * carry the account (the id under `digitalocean.accounts`). Rows from before are the default
 * account's, the only one collected until now.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const account = (/** @type {import('knex').Knex.CreateTableBuilder} */ t) =>
    t
      .string('account', 63)
      .notNullable()
      .defaultTo('default')
      .comment('the account under digitalocean.accounts');

  await knex.schema.alterTable('docr_gc_policies', table => {
    account(table);
    table.dropPrimary();
  });
  await knex.schema.alterTable('docr_gc_policies', table => {
    table.primary(['account', 'registry_name']);
  });

  await knex.schema.alterTable('docr_gc_runs', table => {
    account(table);
    table.dropUnique(['registry_name', 'occurrence_key']);
    table.dropIndex(['registry_name', 'created_at']);
  });
  await knex.schema.alterTable('docr_gc_runs', table => {
    table.unique(['account', 'registry_name', 'occurrence_key']);
    table.index(['account', 'registry_name', 'created_at']);
  });

  await knex.schema.alterTable('docr_storage_samples', table => {
    account(table);
    table.dropIndex(['registry_name', 'sampled_at']);
  });
  await knex.schema.alterTable('docr_storage_samples', table => {
    table.index(['account', 'registry_name', 'sampled_at']);
  });

  await knex.schema.alterTable('docr_account_listings', table => {
    account(table);
    table.index(['account', 'listed_at']);
  });
};

/**
 * Keeps the default account's rows only: the old keys cannot hold two accounts' registries.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'docr_gc_policies',
    'docr_gc_runs',
    'docr_storage_samples',
    'docr_account_listings',
  ]) {
    await knex(table).whereNot({ account: 'default' }).delete();
  }
  await knex.schema.alterTable('docr_account_listings', table => {
    table.dropIndex(['account', 'listed_at']);
    table.dropColumn('account');
  });
  await knex.schema.alterTable('docr_storage_samples', table => {
    table.dropIndex(['account', 'registry_name', 'sampled_at']);
    table.dropColumn('account');
    table.index(['registry_name', 'sampled_at']);
  });
  await knex.schema.alterTable('docr_gc_runs', table => {
    table.dropUnique(['account', 'registry_name', 'occurrence_key']);
    table.dropIndex(['account', 'registry_name', 'created_at']);
    table.dropColumn('account');
    table.unique(['registry_name', 'occurrence_key']);
    table.index(['registry_name', 'created_at']);
  });
  await knex.schema.alterTable('docr_gc_policies', table => {
    table.dropPrimary();
    table.dropColumn('account');
  });
  await knex.schema.alterTable('docr_gc_policies', table => {
    table.primary(['registry_name']);
  });
};
