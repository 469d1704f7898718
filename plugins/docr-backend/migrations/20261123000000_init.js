// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_gc_policies', table => {
    table.comment(
      'GC policies stored through the API (config entries take precedence)',
    );
    table.string('registry_name', 63).primary();
    table.text('policy_json').notNullable();
    table.string('updated_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('docr_gc_runs', table => {
    table.comment(
      'Every garbage collection: intent first, then what DigitalOcean reports',
    );
    table.increments('id').primary();
    table.string('registry_name', 63).notNullable();
    table
      .string('trigger', 16)
      .notNullable()
      .comment('window | manual | external');
    table
      .string('occurrence_key', 64)
      .nullable()
      .comment('window occurrence this run belongs to; unique per registry');
    table.string('gc_type', 64).nullable();
    table.string('do_uuid', 64).nullable().unique();
    table.string('status', 64).notNullable();
    table.text('statuses_json').notNullable().defaultTo('[]');
    table.bigInteger('blobs_deleted').nullable();
    table.bigInteger('freed_bytes').nullable();
    table.bigInteger('storage_before').nullable();
    table.bigInteger('storage_after').nullable();
    table.string('requested_by').nullable();
    table.text('reason').nullable().comment('why it was skipped or failed');
    table.text('content_fingerprint').nullable();
    table.timestamp('window_end', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('cancel_requested_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.unique(['registry_name', 'occurrence_key']);
    table.index(['registry_name', 'created_at']);
    table.index(['status']);
  });

  await knex.schema.createTable('docr_storage_samples', table => {
    table.comment('Storage used per registry over time');
    table.increments('id').primary();
    table.string('registry_name', 63).notNullable();
    table.bigInteger('storage_bytes').notNullable();
    table.timestamp('sampled_at', { useTz: true }).notNullable();
    table
      .boolean('full_listing')
      .notNullable()
      .defaultTo(false)
      .comment(
        'true when taken from a listing of every registry of the account',
      );
    table.index(['registry_name', 'sampled_at']);
    table.index(['sampled_at']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_storage_samples');
  await knex.schema.dropTable('docr_gc_runs');
  await knex.schema.dropTable('docr_gc_policies');
};
