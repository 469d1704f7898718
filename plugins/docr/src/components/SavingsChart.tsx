import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SavingsMonth } from '@backstage-docr/plugin-docr-common';
import { formatBytes } from './format';

const HEIGHT = 220;
/** The first paint's size, before the container is measured (and where nothing measures, as in jsdom). */
const INITIAL_SIZE = { width: 560, height: HEIGHT };

/** Each month's freed bytes as bars, with the storage at the month's end as a line; theme colours. */
export function SavingsChart({ months }: { months: SavingsMonth[] }) {
  const theme = useTheme();
  const tick = { fill: theme.palette.text.secondary, fontSize: 12 };
  return (
    <div
      data-testid="savings-chart"
      role="img"
      aria-label="Freed and stored bytes by month"
    >
      <ResponsiveContainer
        width="100%"
        height={HEIGHT}
        initialDimension={INITIAL_SIZE}
      >
        <ComposedChart data={months} margin={{ top: 8, right: 16 }}>
          <CartesianGrid stroke={theme.palette.divider} vertical={false} />
          <XAxis dataKey="month" tick={tick} stroke={theme.palette.divider} />
          <YAxis
            tickFormatter={formatBytes}
            tick={tick}
            stroke={theme.palette.divider}
            width={72}
          />
          <Tooltip
            formatter={value => formatBytes(Number(value))}
            contentStyle={{
              background: theme.palette.background.paper,
              borderColor: theme.palette.divider,
            }}
          />
          <Legend />
          <Bar
            dataKey="freedBytes"
            name="Freed"
            fill={theme.palette.secondary.main}
            isAnimationActive={false}
          />
          <Line
            dataKey="storageBytes"
            name="Storage at month end"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
