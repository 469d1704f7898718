import { SVGProps } from 'react';
import { Typography } from '@material-ui/core';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  GcRunView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';
import { formatBytes } from './format';
import { StorageChartTooltip } from './StorageChartTooltip';
import { gcRunMarks, storageChartRows } from './storageChartData';
import { formatAxisTime, timeTicks } from './timeAxis';

const HEIGHT = 240;
/** The first paint's size, before the container is measured (and where nothing measures, as in jsdom). */
const INITIAL_SIZE = { width: 640, height: HEIGHT };

/** A GC run's finish as a dashed line, findable in the page. */
function GcMarkLine(props: SVGProps<SVGLineElement>) {
  const { x1, y1, x2, y2, stroke, strokeWidth, strokeDasharray } = props;
  return (
    <g data-testid="gc-mark">
      <line
        x1={x1}
        y1={y1}
        x2={x2}
        y2={y2}
        stroke={stroke}
        strokeWidth={strokeWidth}
        strokeDasharray={strokeDasharray}
      />
    </g>
  );
}

/**
 * Storage over time as steps (storage changes at once, at a push or a collection, and holds until
 * the next sample), with each GC run that finished in the period marked where it ended; the
 * tooltip gives a sample's storage or the runs' freed bytes. Colours are the theme's.
 */
export function StorageChart(props: {
  samples: StorageSampleView[];
  runs: GcRunView[];
}) {
  const { samples, runs } = props;
  const theme = useTheme();
  if (samples.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not enough storage samples yet (one is taken every hour).
      </Typography>
    );
  }
  const rows = storageChartRows(samples, runs);
  const marks = gcRunMarks(samples, runs);
  const first = rows[0].time;
  const last = rows[rows.length - 1].time;
  const tick = { fill: theme.palette.text.secondary, fontSize: 12 };

  return (
    <div data-testid="storage-chart" role="img" aria-label="Storage over time">
      <ResponsiveContainer
        width="100%"
        height={HEIGHT}
        initialDimension={INITIAL_SIZE}
      >
        <LineChart data={rows} margin={{ top: 8, right: 16 }}>
          <CartesianGrid stroke={theme.palette.divider} vertical={false} />
          <XAxis
            dataKey="time"
            type="number"
            domain={[first, last]}
            ticks={timeTicks(first, last)}
            tickFormatter={time => formatAxisTime(time, last - first)}
            tick={tick}
            stroke={theme.palette.divider}
          />
          <YAxis
            tickFormatter={formatBytes}
            tick={tick}
            stroke={theme.palette.divider}
            width={72}
          />
          <Tooltip
            content={<StorageChartTooltip />}
            cursor={{ stroke: theme.palette.divider }}
          />
          {marks.map(mark => (
            <ReferenceLine
              key={mark.run.id}
              x={mark.time}
              stroke={theme.palette.secondary.main}
              strokeDasharray="4 3"
              shape={<GcMarkLine />}
            />
          ))}
          <Line
            type="stepAfter"
            dataKey="storageBytes"
            name="Storage"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            activeDot={{ stroke: theme.palette.background.paper }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
