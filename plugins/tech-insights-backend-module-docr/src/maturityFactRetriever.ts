import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import {
  accountNamespace,
  ANNOTATION_ACCOUNT,
  ANNOTATION_REGISTRY_NAME,
  assessMaturity,
  maturityFactsOf,
  digitalOceanProviderLocation,
  GcRunPageView,
  MaturityCheck,
  PolicyView,
  SavingsView,
} from '@backstage-docr/plugin-docr-common';

const REGISTRIES = { kind: 'Resource', 'spec.type': 'container-registry' };

/** The fact of each check that can be decided (the CI credentials one cannot, from the portal). */
const CHECK_FACTS: Partial<Record<MaturityCheck['id'], string>> = {
  'tier-basic': 'tierBasic',
  'cleaned-up': 'cleanedUp',
  'tier-professional': 'tierProfessional',
  'gc-automated': 'gcAutomated',
  'retention-rules': 'retentionRules',
  'storage-planned': 'storagePlanned',
  'second-region': 'secondRegion',
};

/**
 * The entity is one the DigitalOcean catalog provider emitted (its account's namespace and the
 * provider's location, which the catalog overwrites on registered entities): a look-alike a user
 * registers naming another team's registry gets none of that registry's facts.
 */
function emittedByProvider(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  const account = annotations[ANNOTATION_ACCOUNT];
  const location = digitalOceanProviderLocation(account);
  return (
    (entity.metadata.namespace ?? 'default') === accountNamespace(account) &&
    annotations[ANNOTATION_LOCATION] === location &&
    annotations[ANNOTATION_ORIGIN_LOCATION] === location
  );
}

/** Reads the docr API as this plugin, for one registry. */
async function docrApi(
  ctx: { discovery: DiscoveryService; auth: AuthService },
  entity: Entity,
) {
  const annotations = entity.metadata.annotations ?? {};
  const name = encodeURIComponent(annotations[ANNOTATION_REGISTRY_NAME]);
  const account = annotations[ANNOTATION_ACCOUNT];
  const base = `${await ctx.discovery.getBaseUrl('docr')}${
    account ? `/accounts/${encodeURIComponent(account)}` : ''
  }/registries/${name}`;
  const { token } = await ctx.auth.getPluginRequestToken({
    onBehalfOf: await ctx.auth.getOwnServiceCredentials(),
    targetPluginId: 'docr',
  });
  return async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`GET ${base}${path}: ${response.status}`);
    return (await response.json()) as T;
  };
}

/**
 * Facts of each container registry of the catalog: its maturity level (`maturityLevel`, 1 to 3)
 * and one boolean per check `assessMaturity` decides, read from the catalog (tier, regions) and
 * the docr API (policy, runs, storage) as the docr backend's pages read them.
 *
 * @public
 */
export function createDocrMaturityFactRetriever(deps: {
  catalog: CatalogService;
}): FactRetriever {
  return {
    id: 'docr-maturity',
    version: '0.1.0',
    title: 'DigitalOcean Container Registry maturity',
    description:
      "Each registry's level on the operations procedure (1 proof of concept, 2 non-production, 3 production) and the checks that decide it",
    entityFilter: [{ kind: 'resource', 'spec.type': 'container-registry' }],
    schema: {
      maturityLevel: { type: 'integer', description: '1, 2 or 3' },
      ...Object.fromEntries(
        Object.values(CHECK_FACTS).map(fact => [
          fact,
          { type: 'boolean', description: `The ${fact} check passed` },
        ]),
      ),
    },
    async handler(ctx) {
      const { items } = await deps.catalog.getEntities(
        { filter: REGISTRIES, fields: ['kind', 'metadata', 'spec'] },
        { credentials: await ctx.auth.getOwnServiceCredentials() },
      );
      const facts: TechInsightFact[] = [];
      for (const entity of items) {
        const fact = await registryFacts(ctx, entity, items, ctx.logger);
        if (fact) facts.push(fact);
      }
      return facts;
    },
  };
}

async function registryFacts(
  ctx: { discovery: DiscoveryService; auth: AuthService },
  entity: Entity,
  registries: Entity[],
  logger: LoggerService,
): Promise<TechInsightFact | undefined> {
  const annotations = entity.metadata.annotations ?? {};
  if (!annotations[ANNOTATION_REGISTRY_NAME] || !emittedByProvider(entity))
    return undefined;
  try {
    const get = await docrApi(ctx, entity);
    const [policy, runs, savings] = await Promise.all([
      get<PolicyView>('/policy'),
      get<GcRunPageView>('/gc-runs?limit=100'),
      get<SavingsView>('/savings?months=1'),
    ]);
    const assessment = assessMaturity(
      maturityFactsOf({
        annotations,
        registryAnnotations: registries.map(e => e.metadata.annotations),
        policy,
        runs: runs.items,
        savings,
      }),
    );
    const checks = Object.fromEntries(
      assessment.checks.flatMap(c =>
        CHECK_FACTS[c.id] ? [[CHECK_FACTS[c.id]!, c.status === 'passed']] : [],
      ),
    );
    return {
      entity: {
        namespace: entity.metadata.namespace ?? 'default',
        kind: entity.kind,
        name: entity.metadata.name,
      },
      facts: { maturityLevel: assessment.level, ...checks },
    };
  } catch (error) {
    // One registry the docr API cannot answer for does not hold back the others' facts.
    logger.warn(`No maturity facts for ${entity.metadata.name}: ${error}`);
    return undefined;
  }
}
