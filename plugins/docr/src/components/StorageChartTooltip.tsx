import { Paper, Typography, makeStyles } from '@material-ui/core';
import { DateTime } from 'luxon';
import { formatBytes } from './format';
import type { StorageChartRow } from './storageChartData';

const useStyles = makeStyles(theme => ({
  paper: {
    padding: theme.spacing(1, 1.5),
    border: `1px solid ${theme.palette.divider}`,
  },
}));

/** What recharts hands a custom tooltip: the hovered row, while one is hovered. */
export interface StorageChartTooltipProps {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: StorageChartRow }>;
}

/** The hovered sample's storage, or the GC runs that finished there and what they freed. */
export function StorageChartTooltip(props: StorageChartTooltipProps) {
  const classes = useStyles();
  const row = props.payload?.[0]?.payload;
  if (!props.active || !row) return null;
  return (
    <Paper className={classes.paper} data-testid="storage-chart-tooltip">
      <Typography variant="caption" color="textSecondary" display="block">
        {DateTime.fromMillis(row.time).toLocaleString(DateTime.DATETIME_MED)}
      </Typography>
      {row.runs.length === 0 ? (
        <Typography variant="body2">
          Storage: {formatBytes(row.storageBytes)}
        </Typography>
      ) : (
        row.runs.map(run => (
          <Typography variant="body2" key={run.id}>
            GC {run.status}, freed {formatBytes(run.freedBytes)}
          </Typography>
        ))
      )}
    </Paper>
  );
}
