// @ts-check

/**
 * Who created each new registry through the scaffolder: that user, and no one else, may store
 * its first GC policy (before the catalog has the registry's entity, so before any rule about
 * its owners can match). A row ends with the first stored policy.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('docr_registry_creations', table => {
    table.comment(
      'A registry the scaffolder is creating or has just created, and the user it creates it for',
    );
    table
      .string('account', 63)
      .notNullable()
      .comment('the account under digitalocean.accounts');
    table.string('registry_name', 63).notNullable();
    table
      .string('created_by')
      .notNullable()
      .comment('the user entity ref the registry is created for');
    table
      .bigInteger('recorded_at')
      .notNullable()
      .comment('when the creation was recorded, epoch milliseconds');
    table.primary(['account', 'registry_name']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('docr_registry_creations');
};
