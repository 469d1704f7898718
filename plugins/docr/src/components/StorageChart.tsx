import { Typography } from '@material-ui/core';
import type {
  GcRunView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';
import { formatBytes } from './format';

const WIDTH = 640;
const HEIGHT = 160;
const PAD = 24;

/** Storage over time as a line, with each finished GC run marked where it ended. */
export function StorageChart(props: {
  samples: StorageSampleView[];
  runs: GcRunView[];
}) {
  const { samples, runs } = props;
  if (samples.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not enough storage samples yet (one is taken every hour).
      </Typography>
    );
  }
  const times = samples.map(s => Date.parse(s.sampledAt));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const max = Math.max(...samples.map(s => s.storageBytes), 1);
  const x = (t: number) =>
    PAD + ((t - t0) / Math.max(t1 - t0, 1)) * (WIDTH - 2 * PAD);
  const y = (bytes: number) =>
    HEIGHT - PAD - (bytes / max) * (HEIGHT - 2 * PAD);
  const line = samples
    .map((s, i) => `${x(times[i]).toFixed(1)},${y(s.storageBytes).toFixed(1)}`)
    .join(' ');
  const marks = runs.filter(
    r =>
      r.finishedAt &&
      Date.parse(r.finishedAt) >= t0 &&
      Date.parse(r.finishedAt) <= t1,
  );
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label="Storage over time"
      data-testid="storage-chart"
    >
      <text x={PAD} y={14} fontSize={11} fill="currentColor">
        {formatBytes(max)}
      </text>
      <line
        x1={PAD}
        y1={HEIGHT - PAD}
        x2={WIDTH - PAD}
        y2={HEIGHT - PAD}
        stroke="#999"
        strokeWidth={1}
      />
      {marks.map(run => (
        <g key={run.id} data-testid="gc-mark">
          <line
            x1={x(Date.parse(run.finishedAt!))}
            x2={x(Date.parse(run.finishedAt!))}
            y1={PAD}
            y2={HEIGHT - PAD}
            stroke="#ffa000"
            strokeDasharray="4 3"
          />
          <title>{`GC ${run.status}, freed ${formatBytes(run.freedBytes)}`}</title>
        </g>
      ))}
      <polyline points={line} fill="none" stroke="#1976d2" strokeWidth={2} />
    </svg>
  );
}
