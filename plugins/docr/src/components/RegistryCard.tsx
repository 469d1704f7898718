import { Box, LinearProgress, Typography, makeStyles } from '@material-ui/core';
import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  CopyTextButton,
  InfoCard,
  MissingAnnotationEmptyState,
} from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_REGION,
  ANNOTATION_REGISTRY_NAME,
  ANNOTATION_SUBSCRIPTION_TIER,
  estimateMonthlyCost,
  registryServerUrl,
  storageUsageRatio,
} from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';
import {
  isAppPlatformApp,
  isKubernetesCluster,
  isRegistrySubscription,
} from '../filters';
import { useRegistryDetail } from '../hooks/useRegistryDetail';
import { useRelatedResourceGroups } from '../hooks/useRelatedResources';
import { NotProviderEntityWarning } from './NotProviderEntityWarning';
import { RegistryAppsList } from './RegistryAppsList';
import { RelatedResourceLinks } from './RelatedResourceLinks';
import { tierPricingOf } from './entityFigures';
import { formatBytes, formatCents } from './format';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  label: { minWidth: 120, color: theme.palette.text.secondary },
  code: { fontFamily: 'monospace', fontSize: '0.85rem' },
  bar: { height: 10, borderRadius: 5 },
  ok: { backgroundColor: theme.palette.success?.main ?? '#2e7d32' },
  warning: { backgroundColor: '#ffa000' },
  full: { backgroundColor: theme.palette.error.main },
}));

/** "ok" below 80 % of the tier's storage, "warning" from 80 %, "full" from 100 %. */
export function storageLevel(
  ratio: number | undefined,
): 'ok' | 'warning' | 'full' {
  if (ratio === undefined || ratio < 0.8) return 'ok';
  return ratio < 1 ? 'warning' : 'full';
}

function Row(props: { label: string; children: React.ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.row}>
      <Typography variant="body2" className={classes.label}>
        {props.label}
      </Typography>
      <Box flex={1}>{props.children}</Box>
    </div>
  );
}

/** How to log in docker to the registry host. */
function LoginRow() {
  const classes = useStyles();
  const login = 'doctl registry login';
  return (
    <Row label="Log in">
      <span className={classes.code}>{login}</span>
      <CopyTextButton
        text={login}
        tooltipText="Command copied"
        aria-label="Copy login command"
      />
      <Typography variant="caption" display="block" color="textSecondary">
        or{' '}
        <span className={classes.code}>
          docker login registry.digitalocean.com
        </span>{' '}
        with a DigitalOcean API token
      </Typography>
    </Row>
  );
}

/**
 * This registry's newest storage sample and the account's total against the tier's included
 * storage, as a bar turning amber from 80 % and red from 100 %.
 */
function StorageFigures(props: {
  detail: ReturnType<typeof useRegistryDetail>;
  tier: ReturnType<typeof tierPricingOf>;
  shared: string;
}) {
  const classes = useStyles();
  const { detail, tier, shared } = props;
  const storage = detail.value?.storageBytes ?? undefined;
  const account = detail.value?.account;
  const ratio = account
    ? storageUsageRatio(tier, account.storageBytes)
    : undefined;
  const level = storageLevel(ratio);
  return detail.error && !detail.value ? (
    <Typography variant="body2" color="error" data-testid="storage-error">
      Storage unavailable: {detail.error.message}
    </Typography>
  ) : (
    <>
      <Typography variant="body2" data-testid="storage-label">
        {storage === undefined ? '—' : formatBytes(storage)}
        {detail.value?.storageSampledAt && (
          <Typography component="span" variant="caption" color="textSecondary">
            {' '}
            measured {new Date(detail.value.storageSampledAt).toLocaleString()}
          </Typography>
        )}
      </Typography>
      {account && (
        <Typography variant="body2" data-testid="account-storage-label">
          Account: {formatBytes(account.storageBytes)}
          {tier.included_storage_bytes
            ? ` of ${formatBytes(tier.included_storage_bytes)} included (${Math.round((ratio ?? 0) * 100)} %)`
            : ''}
          , {shared}
        </Typography>
      )}
      {ratio !== undefined && (
        <LinearProgress
          variant="determinate"
          value={Math.min(100, ratio * 100)}
          data-testid="storage-bar"
          data-level={level}
          classes={{ root: classes.bar, bar: classes[level] }}
        />
      )}
    </>
  );
}

/** What the account pays this month at its storage today: the tier, plus storage above it. */
function MonthlyCost(props: {
  account?: { storageBytes: number };
  tier: ReturnType<typeof tierPricingOf>;
  shared: string;
}) {
  const { account, tier, shared } = props;
  const cost = account
    ? estimateMonthlyCost(tier, account.storageBytes)
    : undefined;
  return (
    <>
      {cost ? (
        <span data-testid="cost">
          ≈ {formatCents(cost.totalCents)} for the account (tier{' '}
          {formatCents(cost.baseCents)}
          {cost.overageBytes > 0
            ? ` + ${formatBytes(cost.overageBytes)} over at ${formatCents(cost.overageCents)}`
            : ''}
          ), {shared}
        </span>
      ) : (
        '—'
      )}
    </>
  );
}

/**
 * Registry facts from the catalog entity (tier, region, server URL and login line, the DOKS
 * clusters and App Platform apps that pull from it) and, from the docr API, storage: this
 * registry's newest sample and the account's total against the tier's included storage, with the
 * account's estimated cost this month. The subscription is the account's, shared by all its registries, so its limit and
 * price apply to the total, once.
 */
export function RegistryCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const registry = registryRefOf(entity);
  const { name } = registry;
  const detail = useRegistryDetail(name ? registry : undefined);
  // The DOKS clusters and App Platform apps that pull from it and the account's subscription
  // entity (where its figures and all its registries are), in one catalog request.
  const [clusters, subscription, apps] = useRelatedResourceGroups([
    { relation: RELATION_DEPENDENCY_OF, isOfType: isKubernetesCluster },
    { relation: RELATION_DEPENDS_ON, isOfType: isRegistrySubscription },
    { relation: RELATION_DEPENDENCY_OF, isOfType: isAppPlatformApp },
  ]);
  if (!name)
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_REGISTRY_NAME} />
    );

  const serverUrl = registryServerUrl(name);
  const account = detail.value?.account;
  const tier = tierPricingOf(annotations);
  const shared =
    account && account.registryCount > 1
      ? `shared by the account's ${account.registryCount} registries`
      : 'the account has this registry only';

  return (
    <InfoCard title="Container registry" subheader={serverUrl}>
      <NotProviderEntityWarning entity={entity} />
      <Row label="Tier">{annotations[ANNOTATION_SUBSCRIPTION_TIER] ?? '—'}</Row>
      <Row label="Region">{annotations[ANNOTATION_REGION] ?? '—'}</Row>
      <Row label="Server">
        <span className={classes.code}>{serverUrl}</span>
        <CopyTextButton
          text={serverUrl}
          tooltipText="Server URL copied"
          aria-label="Copy server URL"
        />
      </Row>
      <LoginRow />
      <Row label="Storage">
        <StorageFigures detail={detail} tier={tier} shared={shared} />
      </Row>
      <Row label="This month">
        <MonthlyCost account={account} tier={tier} shared={shared} />
      </Row>
      {subscription.entities?.length ? (
        <Row label="Subscription">
          <EntityRefLinks
            entityRefs={subscription.entities}
            defaultKind="resource"
          />
        </Row>
      ) : null}
      <Row label="DOKS clusters">
        <RelatedResourceLinks
          related={clusters}
          noun="clusters"
          empty="No DOKS cluster pulls from this registry"
        />
      </Row>
      <Row label="App Platform apps">
        <RegistryAppsList
          apps={apps}
          registryRegion={annotations[ANNOTATION_REGION]}
        />
      </Row>
    </InfoCard>
  );
}
