import type {
  GcPolicy,
  GcPolicySource,
} from '@backstage-docr/plugin-docr-common';
import type { DocrBackendConfig } from './config';
import type { DocrStore } from './database/DocrStore';

export interface EffectivePolicy {
  policy: GcPolicy;
  source: GcPolicySource;
  updatedBy?: string;
  updatedAt?: string;
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
    stored:
      | {
          policy: EffectivePolicy['policy'];
          updatedBy: string;
          updatedAt: Date;
        }
      | undefined,
  ): EffectivePolicy {
    const configured = this.config.configPolicies.get(registryName);
    if (configured) return { policy: configured, source: 'config' };
    if (stored) {
      return {
        policy: stored.policy,
        source: 'api',
        updatedBy: stored.updatedBy,
        updatedAt: stored.updatedAt.toISOString(),
      };
    }
    return { policy: this.config.defaultPolicy, source: 'default' };
  }
}
