import type { Knex } from 'knex';
import type {
  RegistryCreation,
  RegistryCreationStore,
} from '../service/RegistryCreationStore';
import { toNumber } from './rowValues';

const CREATIONS = 'docr_registry_creations';

function creationFromRow(row: any): RegistryCreation {
  return {
    account: row.account,
    registryName: row.registry_name,
    createdBy: row.created_by,
    recordedAt: new Date(toNumber(row.recorded_at)!),
  };
}

/**
 * The registry creations in the plugin's database (`docr_registry_creations`, migrated with the
 * plugin's other tables): one row per account and registry name.
 */
export class DatabaseRegistryCreationStore implements RegistryCreationStore {
  constructor(private readonly db: Knex) {}

  async record(
    creation: RegistryCreation,
    staleBefore: Date,
  ): Promise<RegistryCreation> {
    const key = {
      account: creation.account,
      registry_name: creation.registryName,
    };
    const row = {
      ...key,
      created_by: creation.createdBy,
      recorded_at: creation.recordedAt.getTime(),
    };
    return this.db.transaction(async trx => {
      // A second recorder waits here for the first one's transaction (the primary key).
      await trx(CREATIONS)
        .insert(row)
        .onConflict(['account', 'registry_name'])
        .ignore();
      const held = creationFromRow(await trx(CREATIONS).where(key).first());
      const replaceable =
        held.createdBy === creation.createdBy ||
        held.recordedAt.getTime() < staleBefore.getTime();
      if (!replaceable) return held;
      await trx(CREATIONS).where(key).update(row);
      return creation;
    });
  }

  async find(
    account: string,
    registryName: string,
  ): Promise<RegistryCreation | undefined> {
    const row = await this.db(CREATIONS)
      .where({ account, registry_name: registryName })
      .first();
    return row ? creationFromRow(row) : undefined;
  }

  async end(account: string, registryName: string): Promise<void> {
    await this.db(CREATIONS)
      .where({ account, registry_name: registryName })
      .delete();
  }
}
