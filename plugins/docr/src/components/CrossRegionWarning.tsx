import { WarningPanel } from '@backstage/core-components';

/**
 * The warning a DOKS cluster or an App Platform app gets when it pulls from a registry in another
 * region: every pull crosses regions, with egress cost and latency. Open, so the reason shows
 * without a click.
 */
export function CrossRegionWarning(props: {
  /** "prod-ams3 is in ams3", "shop-api runs in fra1" */
  pullers: string[];
  /** "the registry in fra1", "acme-prod is in ams3" */
  registries: string;
  remedy: string;
}) {
  return (
    <div data-testid="docr-cross-region">
      <WarningPanel
        severity="warning"
        defaultExpanded
        title="Pulls across regions"
        message={`${props.pullers.join('; ')}, ${props.registries}: every pull crosses regions (egress cost and latency). ${props.remedy}`}
      />
    </div>
  );
}
