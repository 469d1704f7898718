import type { Knex } from 'knex';
import { DatabaseDeletionJournal } from '../../database/DatabaseDeletionJournal';
import { DatabaseRetentionBudgetStore } from '../../database/DatabaseRetentionBudgetStore';

/** The retention runner's stores in a migrated test database: its journal and call budget. */
export function retentionStores(knex: Knex) {
  return {
    journal: new DatabaseDeletionJournal(knex),
    budget: new DatabaseRetentionBudgetStore(knex),
  };
}
