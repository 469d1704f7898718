// @ts-check

/**
 * Each attachment (a signature, attestation or SBOM tag, an untagged referrer) planned for
 * deletion names the digest of the tagged manifest it is deleted with: the run deletes it only
 * once that manifest's deletion is settled as deleted in the same occurrence.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('docr_retention_deletions', table => {
    table
      .string('subject_digest', 128)
      .nullable()
      .comment(
        'for an attachment, the digest of the manifest it is deleted with; null for the rest',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('docr_retention_deletions', table => {
    table.dropColumn('subject_digest');
  });
};
