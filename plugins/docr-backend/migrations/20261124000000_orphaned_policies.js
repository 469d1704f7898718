// @ts-check

/**
 * A stored policy whose registry DigitalOcean no longer has is kept (the registry may come back,
 * and the history stays readable) but marked orphaned, and the GC task skips it. Full listings
 * are recorded on their own, so a listing with no registry at all still counts as one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('docr_gc_policies', table => {
    table
      .timestamp('orphaned_at', { useTz: true })
      .nullable()
      .comment('when the registry was found missing in DigitalOcean');
    table
      .text('orphaned_reason')
      .nullable()
      .comment('how it was found missing');
  });
  await knex.schema.createTable('docr_account_listings', table => {
    table.comment(
      'When the account was last listed in full, also when it had no registry',
    );
    table.increments('id').primary();
    table.timestamp('listed_at', { useTz: true }).notNullable().index();
    table.integer('registry_count').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_account_listings');
  await knex.schema.alterTable('docr_gc_policies', table => {
    table.dropColumn('orphaned_at');
    table.dropColumn('orphaned_reason');
  });
};
