import { Box, Button, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { RegistrySummaryView } from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';
import { useRegistryDetail } from '../hooks/useRegistryDetail';
import { LastRun, StatusChip } from './GcRunStatus';
import { RunGcNowButton } from './RunGcNowButton';
import { formatBytes, formatInZone, viewerZone } from './format';

export { StatusChip } from './GcRunStatus';

const SOURCE_LABEL: Record<RegistrySummaryView['policySource'], string> = {
  config: 'managed by app-config',
  api: 'set through the portal',
  default: 'the portal’s default',
};

function describeWindows(summary: RegistrySummaryView): string {
  if (!summary.policy.enabled) return 'disabled';
  if (!summary.policy.windows.length) return 'no windows: only run by hand';
  return summary.policy.windows
    .map(
      w =>
        `${w.days.join(', ')} ${w.start} for ${w.duration.replace(/^PT/, '').toLowerCase()} (${w.timezone})`,
    )
    .join('; ');
}

function windowText(summary: RegistrySummaryView, zone: string): string {
  if (summary.openWindow) return formatInZone(summary.openWindow.end, zone);
  const next = summary.nextWindow;
  if (!next) return 'none';
  return `${formatInZone(next.start, zone)} (${formatInZone(next.start, next.timezone)} in ${next.timezone})`;
}

/** Garbage collection of the entity's registry: policy, next window, active and last run, "Run GC now". */
export function GcCard() {
  const { entity } = useEntity();
  const registry = registryRefOf(entity);
  // Polls closely while a run goes (the registry is read-only until it ends) and while the
  // docr backend is still starting (503), so "GC has never run" shows without a reload.
  const summary = useRegistryDetail(registry);

  if (summary.loading && !summary.value)
    return (
      <InfoCard title="Garbage collection">
        <Progress />
      </InfoCard>
    );
  if (summary.error) {
    return (
      <InfoCard title="Garbage collection">
        <ResponseErrorPanel error={summary.error} />
        <Box mt={1}>
          <Button variant="outlined" onClick={summary.retry}>
            Retry
          </Button>
        </Box>
      </InfoCard>
    );
  }
  const value = summary.value!;
  const zone = viewerZone();

  return (
    <InfoCard
      title="Garbage collection"
      subheader={`Policy ${SOURCE_LABEL[value.policySource]}`}
    >
      <Typography variant="body2">
        <strong>Type:</strong> {value.policy.type}
      </Typography>
      <Typography variant="body2">
        <strong>Windows:</strong> {describeWindows(value)}
      </Typography>
      <Typography variant="body2" component="div" data-testid="next-window">
        <strong>
          {value.openWindow ? 'Window open until' : 'Next window'}:
        </strong>{' '}
        {windowText(value, zone)}
      </Typography>
      <Box mt={1}>
        <Typography variant="body2" component="div" data-testid="active-run">
          <strong>Running now:</strong>{' '}
          {value.activeRun ? (
            <StatusChip status={value.activeRun.status} />
          ) : (
            'nothing; the registry accepts pushes'
          )}
        </Typography>
        <Typography variant="body2" component="div" data-testid="last-run">
          <strong>Last run:</strong> <LastRun run={value.lastRun} />
        </Typography>
        <Typography variant="body2" component="div" data-testid="storage-now">
          <strong>Storage:</strong>{' '}
          {formatBytes(value.lastRun?.storageAfter ?? value.storageBytes)}
        </Typography>
      </Box>
      <Box mt={2}>
        <RunGcNowButton
          registry={registry}
          running={Boolean(value.activeRun)}
          onSettled={summary.retry}
        />
      </Box>
    </InfoCard>
  );
}
