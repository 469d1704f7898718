// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_subscriptions', table => {
    table.comment(
      'The registry subscription tier of each account as DigitalOcean last reported it (read with the hourly listing), for savings, notifications and maturity without a DigitalOcean call',
    );
    table.string('account', 64).primary();
    table
      .text('tier_json')
      .notNullable()
      .comment(
        'the subscription tier from DigitalOcean: slug, included storage, prices',
      );
    table.timestamp('read_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_subscriptions');
};
