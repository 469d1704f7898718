// @ts-check

/**
 * Why a window's retention deleted nothing of the registry although its rules selected: what
 * runs on a DOKS cluster integrated with it (or in App Platform) could not be read before the
 * plan. Null when nothing held it back.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('docr_retention_plans', table => {
    table
      .text('held_back')
      .nullable()
      .comment(
        'why nothing of the registry is deleted in the occurrence (images in use unread); null when nothing held it back',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('docr_retention_plans', table => {
    table.dropColumn('held_back');
  });
};
