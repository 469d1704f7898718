// @ts-check

/**
 * The retention call budget in the database: every DigitalOcean call tag retention makes
 * (listing pages, checks, deletions) of every replica counts against one budget per account,
 * and a restart keeps what was spent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_retention_budgets', table => {
    table.comment(
      'One per account: the row a replica locks while it counts and takes the calls of the account',
    );
    table
      .string('account', 63)
      .primary()
      .comment('the account under digitalocean.accounts');
    table
      .bigInteger('next_call_at')
      .notNullable()
      .defaultTo(0)
      .comment(
        'epoch milliseconds before which no call starts: calls per minute, spaced evenly',
      );
    table
      .bigInteger('calls')
      .notNullable()
      .defaultTo(0)
      .comment('calls counted in all, ever');
  });

  await knex.schema.createTable('docr_retention_calls', table => {
    table.comment(
      'Each DigitalOcean call retention made in the last hour, of every replica; older ones are pruned',
    );
    table.increments('id').primary();
    table.string('account', 63).notNullable();
    table
      .bigInteger('at')
      .notNullable()
      .comment('when the call was taken, epoch milliseconds');
    table.index(['account', 'at'], 'docr_retention_calls_account_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_retention_calls');
  await knex.schema.dropTable('docr_retention_budgets');
};
