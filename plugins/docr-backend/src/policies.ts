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
    const configured = this.config.configPolicies.get(registryName);
    if (configured) return { policy: configured, source: 'config' };
    const stored = await this.store.getStoredPolicy(registryName);
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
