import { toError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  GcPolicy,
  describeValidationIssues,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import type { PolicyStore, StoredPolicy } from './PolicyStore';
import { toDate } from './rowValues';

function storedPolicyFromRow(row: any): StoredPolicy {
  let problem: string | undefined;
  let policy: GcPolicy;
  try {
    const parsed = gcPolicySchema.safeParse(JSON.parse(row.policy_json));
    if (parsed.success) {
      policy = parsed.data;
    } else {
      problem = describeValidationIssues(parsed.error).join('; ');
      policy = { ...gcPolicySchema.parse({}), enabled: false };
    }
  } catch (error) {
    problem = `not JSON: ${toError(error).message}`;
    policy = { ...gcPolicySchema.parse({}), enabled: false };
  }
  return {
    policy,
    updatedBy: row.updated_by as string,
    updatedAt: toDate(row.updated_at)!,
    orphaned: row.orphaned_at
      ? { since: toDate(row.orphaned_at)!, reason: row.orphaned_reason ?? '' }
      : undefined,
    problem,
  };
}

/** One account's stored GC policies in the plugin's database (`docr_gc_policies`). */
export class DatabasePolicyStore implements PolicyStore {
  constructor(
    private readonly db: Knex,
    private readonly account: string,
  ) {}

  /** The account's stored policies. */
  private policies() {
    return this.db('docr_gc_policies').where({ account: this.account });
  }

  async allStoredPolicies(): Promise<Map<string, StoredPolicy>> {
    const rows = await this.policies().select();
    return new Map(
      rows.map(row => [row.registry_name as string, storedPolicyFromRow(row)]),
    );
  }

  async allStoredPolicyNames(): Promise<string[]> {
    return [...(await this.allStoredPolicies()).keys()];
  }

  async getStoredPolicy(
    registryName: string,
  ): Promise<StoredPolicy | undefined> {
    const row = await this.policies()
      .where({ registry_name: registryName })
      .first();
    return row ? storedPolicyFromRow(row) : undefined;
  }

  /** Marks the stored policies of registries DigitalOcean no longer has; returns those newly marked. */
  async markOrphaned(
    registryNames: string[],
    reason: string,
    now: Date,
  ): Promise<string[]> {
    if (!registryNames.length) return [];
    const rows = await this.policies()
      .whereIn('registry_name', registryNames)
      .whereNull('orphaned_at')
      .select('registry_name');
    const names = rows.map(r => r.registry_name as string);
    if (names.length) {
      await this.policies()
        .whereIn('registry_name', names)
        .whereNull('orphaned_at')
        .update({ orphaned_at: now, orphaned_reason: reason });
    }
    return names;
  }

  /** Clears the mark of registries DigitalOcean has again; returns those cleared. */
  async clearOrphaned(registryNames: string[]): Promise<string[]> {
    if (!registryNames.length) return [];
    const rows = await this.policies()
      .whereIn('registry_name', registryNames)
      .whereNotNull('orphaned_at')
      .select('registry_name');
    const names = rows.map(r => r.registry_name as string);
    if (names.length) {
      await this.policies()
        .whereIn('registry_name', names)
        .update({ orphaned_at: null, orphaned_reason: null });
    }
    return names;
  }

  async putStoredPolicy(
    registryName: string,
    policy: GcPolicy,
    updatedBy: string,
    now: Date,
  ): Promise<void> {
    await this.db('docr_gc_policies')
      .insert({
        account: this.account,
        registry_name: registryName,
        policy_json: JSON.stringify(policy),
        updated_by: updatedBy,
        updated_at: now,
        orphaned_at: null,
        orphaned_reason: null,
      })
      .onConflict(['account', 'registry_name'])
      .merge();
  }
}
