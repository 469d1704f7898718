import { Chip, Typography } from '@material-ui/core';
import { GcRunView, RUN_STATUS } from '@backstage-docr/plugin-docr-common';
import { formatBytes } from './format';

/** A GC run's status as DigitalOcean names it (an open string): succeeded and failed stand out. */
export function StatusChip(props: { status: string }) {
  const { status } = props;
  const colors: Record<string, 'primary' | 'secondary'> = {
    [RUN_STATUS.succeeded]: 'primary',
    [RUN_STATUS.failed]: 'secondary',
  };
  const color = colors[status] ?? 'default';
  return (
    <Chip
      size="small"
      label={status}
      color={color}
      variant={status === RUN_STATUS.succeeded ? 'default' : 'outlined'}
    />
  );
}

/** The last finished run: what it freed, or why it did not. */
export function LastRun(props: { run: GcRunView | null }) {
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
      {run.status === RUN_STATUS.succeeded
        ? `freed ${formatBytes(run.freedBytes)}`
        : (run.reason ?? '')}{' '}
      <Typography variant="caption" color="textSecondary">
        {new Date(run.finishedAt ?? run.createdAt).toLocaleString()}
      </Typography>
    </Typography>
  );
}
