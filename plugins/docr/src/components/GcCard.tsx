import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ANNOTATION_REGISTRY_NAME,
  GcRunView,
  RegistrySummaryView,
  docrGarbageCollectionRunPermission,
} from '@backstage-docr/plugin-docr-common';
import { docrApiRef } from '../api';
import { formatBytes, formatInZone, viewerZone } from './format';

const POLL_MS = 5000;

const SOURCE_LABEL: Record<RegistrySummaryView['policySource'], string> = {
  config: 'managed by app-config',
  api: 'set through the portal',
  default: 'the portal’s default',
};

export function StatusChip(props: { status: string }) {
  const { status } = props;
  const colors: Record<string, 'primary' | 'secondary'> = {
    succeeded: 'primary',
    failed: 'secondary',
  };
  const color = colors[status] ?? 'default';
  return (
    <Chip
      size="small"
      label={status}
      color={color}
      variant={status === 'succeeded' ? 'default' : 'outlined'}
    />
  );
}

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

function LastRun(props: { run: GcRunView | null }) {
  const { run } = props;
  if (!run) {
    return (
      <Typography variant="body2" component="span" color="textSecondary">
        GC has never run
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="div">
      <StatusChip status={run.status} />{' '}
      {run.status === 'succeeded'
        ? `freed ${formatBytes(run.freedBytes)}`
        : (run.reason ?? '')}{' '}
      <Typography variant="caption" color="textSecondary">
        {new Date(run.finishedAt ?? run.createdAt).toLocaleString()}
      </Typography>
    </Typography>
  );
}

/** Garbage collection of the entity's registry: policy, next window, active and last run, "Run GC now". */
export function GcCard() {
  const { entity } = useEntity();
  const name = entity.metadata.annotations?.[ANNOTATION_REGISTRY_NAME] ?? '';
  const api = useApi(docrApiRef);
  const alertApi = useApi(alertApiRef);
  // Per registry: the policy decides on this registry's entity (e.g. its owners may run GC).
  const { allowed } = usePermission({
    permission: docrGarbageCollectionRunPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const summary = useAsyncRetry(() => api.getRegistry(name), [api, name]);
  const running = Boolean(summary.value?.activeRun) || starting;
  const { retry } = summary;
  // Follow a run while it goes: the registry is read-only until it ends.
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(retry, POLL_MS);
    return () => clearInterval(timer);
  }, [running, retry]);

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

  async function runNow() {
    setConfirming(false);
    setStarting(true);
    try {
      const run = await api.startGc(name);
      alertApi.post({
        message: `Garbage collection of ${name} started (run ${run.id})`,
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: `Could not start garbage collection: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setStarting(false);
      summary.retry();
    }
  }

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
        {allowed ? (
          <Button
            variant="contained"
            color="primary"
            disabled={Boolean(value.activeRun) || starting}
            onClick={() => setConfirming(true)}
          >
            Run GC now
          </Button>
        ) : (
          <Typography variant="caption" color="textSecondary">
            Running GC by hand needs the docr.garbage-collection.run permission.
          </Typography>
        )}
      </Box>
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>Run garbage collection of {name} now?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The registry turns read-only while garbage collection runs: every
            push fails until it ends, which can take minutes. Run it now,
            outside the registry’s windows?
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="primary" onClick={runNow}>
            Run GC now
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
}
