import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  type GcPolicy,
  type PolicyView,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';

/** The docr API's path of a registry's policy: under its account, the root for the default one. */
function policyPath(registryName: string, account: string | undefined) {
  const prefix = account ? `/accounts/${encodeURIComponent(account)}` : '';
  return `${prefix}/registries/${encodeURIComponent(registryName)}/policy`;
}

/** `GET …/policy`'s answer as far as the scaffolder uses it (`PolicyView` in the docr API). */
export type EffectiveGcPolicy = Pick<PolicyView, 'policy' | 'source'>;

/**
 * The GC policy stored for the registry in the docr backend: the effective one when stored
 * (source `api`); undefined when none is (default or config policy) or it could not be read.
 */
export function storedGcPolicy(
  effective: EffectiveGcPolicy | undefined,
): GcPolicy | undefined {
  return effective?.source === 'api' ? effective.policy : undefined;
}

/**
 * Calls to other plugins of this backend on behalf of the task's initiator: the docr backend (GC
 * policy) and the catalog (refresh of the DigitalOcean provider). Every call carries the user's
 * credentials (`onBehalfOf`), never the scaffolder's own, so those plugins' permission checks and
 * audit events see the user who ran the template.
 */
export class BackstageApis {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  private async call(
    credentials: BackstageCredentials,
    pluginId: string,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const baseUrl = await this.discovery.getBaseUrl(pluginId);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: pluginId,
    });
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /**
   * The policy the docr backend applies to the registry and where it comes from (`default`:
   * its configured default, `api`: stored, `config`: app-config), or undefined when it cannot
   * be read (docr backend not installed, registry not known to it yet, not readable). The one
   * read of a registry's policy: the policy stored for it is this one when its source is `api`
   * (see {@link storedGcPolicy}).
   */
  async getEffectiveGcPolicy(
    registryName: string,
    credentials: BackstageCredentials,
    account?: string,
  ): Promise<EffectiveGcPolicy | undefined> {
    try {
      const response = await this.call(
        credentials,
        'docr',
        'GET',
        policyPath(registryName, account),
      );
      if (!response.ok) return undefined;
      const body = (await response.json()) as Partial<PolicyView>;
      // Parsed again: a plain object of this realm (the answer's JSON may not be one).
      const policy = gcPolicySchema.safeParse(body.policy);
      return policy.success && body.source
        ? { policy: policy.data, source: body.source }
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Hands the registry's GC policy to the docr backend. Returns false when the docr backend is
   * not installed (the policy then stays in the action's output only).
   */
  async putGcPolicy(
    registryName: string,
    policy: GcPolicy,
    credentials: BackstageCredentials,
    account?: string,
  ): Promise<boolean> {
    let response: Response;
    try {
      response = await this.call(
        credentials,
        'docr',
        'PUT',
        policyPath(registryName, account),
        policy,
      );
    } catch (error) {
      this.logger.warn(
        `The docr backend could not be reached, so the GC policy was not stored: ${error}`,
      );
      return false;
    }
    if (
      response.status === 404 &&
      !(await response.clone().text()).includes('registry')
    ) {
      this.logger.warn(
        'The docr backend is not installed, so the GC policy was not stored',
      );
      return false;
    }
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      throw new Error(
        `Registry ${registryName} exists, but the docr backend did not store its GC policy (${error.message}); retry the task once that is fixed: the registry will not be created twice`,
      );
    }
    return true;
  }

  /**
   * Records in the docr backend that the registry is created for the user, before DigitalOcean
   * creates it: that user alone may then store its first policy. Throws (before any change) when
   * the docr backend refuses; a backend without the docr plugin records nothing.
   */
  async recordCreation(
    registryName: string,
    credentials: BackstageCredentials,
    account?: string,
  ): Promise<void> {
    const prefix = account ? `/accounts/${encodeURIComponent(account)}` : '';
    const response = await this.call(
      credentials,
      'docr',
      'POST',
      `${prefix}/registries/${encodeURIComponent(registryName)}/creation`,
      {},
    );
    if (
      response.status === 404 &&
      !(await response.clone().text()).includes('account')
    ) {
      this.logger.warn(
        'The docr backend is not installed, so the creator of the registry was not recorded',
      );
      return;
    }
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      throw new Error(
        `The docr backend did not record the creation of registry ${registryName} (${error.message}); nothing was changed`,
      );
    }
  }

  /** Asks the catalog to re-read DigitalOcean now, so the new registry appears within seconds. */
  async refreshCatalog(credentials: BackstageCredentials): Promise<void> {
    try {
      const response = await this.call(
        credentials,
        'catalog',
        'POST',
        '/digitalocean/refresh',
        {},
      );
      if (!response.ok) {
        this.logger.warn(
          `The catalog refresh answered ${response.status}; the registry appears at the next scheduled refresh`,
        );
      }
    } catch (error) {
      this.logger.warn(`The catalog could not be asked to refresh: ${error}`);
    }
  }
}
