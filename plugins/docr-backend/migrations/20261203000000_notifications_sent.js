// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_notifications_sent', table => {
    table.comment(
      'One row per event notified: the unique key makes replicas, restarts and later ticks send it once',
    );
    table.increments('id').primary();
    table.string('account', 64).notNullable();
    table
      .string('event_key', 255)
      .notNullable()
      .comment(
        'the event, e.g. gc-failed:<run id> or window-soon:<registry>:<occurrence>',
      );
    table.string('registry_name', 63).nullable();
    table.string('topic', 64).notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.unique(['account', 'event_key']);
    table.index(['account', 'registry_name', 'sent_at']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_notifications_sent');
};
