// @ts-check

/**
 * Tag retention in a GC window (issue #11). The plan is made once per (account, registry,
 * window occurrence) from a fresh listing; each deletion it intends is journaled before
 * DigitalOcean is asked, so a restart in the same occurrence resumes instead of selecting again,
 * and nothing is deleted twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_retention_plans', table => {
    table.comment(
      'One per window occurrence whose retention rules were applied: when, with which rules, the estimate',
    );
    table.increments('id').primary();
    table
      .string('account', 63)
      .notNullable()
      .comment('the account under digitalocean.accounts');
    table.string('registry_name', 63).notNullable();
    table.string('occurrence_key', 64).notNullable();
    table.text('rules_json').notNullable().comment('the rules applied');
    table.integer('tags_listed').notNullable();
    table
      .bigInteger('estimated_freed_bytes')
      .notNullable()
      .comment('what a GC would free after the deletions, from the listing');
    table.timestamp('planned_at', { useTz: true }).notNullable();
    table.unique(['account', 'registry_name', 'occurrence_key'], {
      indexName: 'docr_retention_plans_occurrence_unique',
    });
  });

  await knex.schema.createTable('docr_retention_deletions', table => {
    table.comment(
      'Every tag or untagged manifest retention intends to delete, journaled before the DELETE',
    );
    table.increments('id').primary();
    table.string('account', 63).notNullable();
    table.string('registry_name', 63).notNullable();
    table.string('occurrence_key', 64).notNullable();
    table.string('repository', 255).notNullable();
    table
      .string('tag', 128)
      .nullable()
      .comment('null for an untagged manifest');
    table.string('digest', 128).notNullable();
    table
      .integer('rule')
      .notNullable()
      .comment('index of the first rule selecting it');
    table.text('reason').notNullable();
    table.bigInteger('compressed_size_bytes').notNullable().defaultTo(0);
    table
      .string('status', 16)
      .notNullable()
      .comment('planned | deleted | skipped | failed');
    table
      .text('detail')
      .nullable()
      .comment('why skipped, or how found deleted');
    table.text('error').nullable().comment('why the deletion failed');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('deleted_at', { useTz: true }).nullable();
    table.unique(
      [
        'account',
        'registry_name',
        'occurrence_key',
        'repository',
        'tag',
        'digest',
      ],
      { indexName: 'docr_retention_deletions_tag_unique' },
    );
    // NULLs are distinct in a unique index: untagged manifests need their own.
    table.unique(
      ['account', 'registry_name', 'occurrence_key', 'repository', 'digest'],
      {
        indexName: 'docr_retention_deletions_manifest_unique',
        predicate: knex.whereNull('tag'),
      },
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_retention_deletions');
  await knex.schema.dropTable('docr_retention_plans');
};
