// @ts-check

/**
 * Why a window's GC frees unreferenced blobs only although its policy's type deletes untagged
 * manifests: a manifest in use by digest (a pod, an App Platform app pinned to it) has no tag
 * that retention keeps, and a GC of untagged manifests would remove it. Null otherwise.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('docr_retention_plans', table => {
    table
      .text('gc_narrowed')
      .nullable()
      .comment(
        'why the GC of the occurrence frees unreferenced blobs only (untagged manifests in use); null otherwise',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('docr_retention_plans', table => {
    table.dropColumn('gc_narrowed');
  });
};
