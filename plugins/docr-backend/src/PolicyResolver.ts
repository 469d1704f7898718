import type {
  GcPolicy,
  GcPolicySource,
} from '@backstage-docr/plugin-docr-common';
import type { DocrBackendConfig } from './config';
import type { DocrStore, StoredPolicy } from './database/DocrStore';

export interface EffectivePolicy {
  policy: GcPolicy;
  source: GcPolicySource;
  updatedBy?: string;
  updatedAt?: string;
  /** The registry is gone from DigitalOcean; its stored policy is kept but not acted on. */
  orphaned?: { since: string; reason: string };
  /** The stored policy fails validation: the GC task skips the registry and reports this. */
  problem?: string;
}

/**
 * A registry's policy, from the highest source that has one: its entry in app-config (managed
 * by config), then one stored through the API, then the app-config default.
 */
export class PolicyResolver {
  constructor(
    private readonly config: DocrBackendConfig,
    private readonly store: DocrStore,
  ) {}

  /** Where app-config manages a registry's policy. */
  configKey(registryName: string): string {
    return this.config.configPolicyKey(registryName);
  }

  isManagedByConfig(registryName: string): boolean {
    return this.config.configPolicies.has(registryName);
  }

  async resolve(registryName: string): Promise<EffectivePolicy> {
    return this.pick(
      registryName,
      await this.store.getStoredPolicy(registryName),
    );
  }

  /** Policies of every registry named or with a stored policy, read in one query. */
  async resolveAll(
    registryNames: Iterable<string>,
  ): Promise<Map<string, EffectivePolicy>> {
    const stored = await this.store.allStoredPolicies();
    const names = new Set([...registryNames, ...stored.keys()]);
    return new Map(
      [...names].sort().map(name => [name, this.pick(name, stored.get(name))]),
    );
  }

  private pick(
    registryName: string,
    stored: StoredPolicy | undefined,
  ): EffectivePolicy {
    const orphaned = stored?.orphaned && {
      since: stored.orphaned.since.toISOString(),
      reason: stored.orphaned.reason,
    };
    const configured = this.config.configPolicies.get(registryName);
    if (configured) return { policy: configured, source: 'config', orphaned };
    if (stored) {
      return {
        policy: stored.policy,
        source: 'api',
        updatedBy: stored.updatedBy,
        updatedAt: stored.updatedAt.toISOString(),
        orphaned,
        problem: stored.problem,
      };
    }
    return { policy: this.config.defaultPolicy, source: 'default' };
  }
}
