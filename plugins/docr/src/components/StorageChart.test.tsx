import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import type {
  GcRunView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';
import { StorageChart } from './StorageChart';

const GIB = 1024 ** 3;

const samples: StorageSampleView[] = [
  { storageBytes: 8 * GIB, sampledAt: '2026-11-22T02:00:00Z' },
  { storageBytes: 5 * GIB, sampledAt: '2026-11-22T04:00:00Z' },
  { storageBytes: 6 * GIB, sampledAt: '2026-11-22T06:00:00Z' },
];

const run = (overrides: Partial<GcRunView>): GcRunView => ({
  id: 1,
  registryName: 'acme-prod',
  trigger: 'window',
  type: 'untagged manifests and unreferenced blobs',
  doUuid: 'uuid',
  status: 'succeeded',
  statuses: ['starting', 'requested', 'succeeded'],
  blobsDeleted: 12,
  freedBytes: 3 * GIB,
  storageBefore: 8 * GIB,
  storageAfter: 5 * GIB,
  requestedBy: null,
  reason: null,
  windowEnd: null,
  createdAt: '2026-11-22T03:00:00Z',
  startedAt: '2026-11-22T03:00:00Z',
  finishedAt: '2026-11-22T03:12:30Z',
  durationMs: 750_000,
  ...overrides,
});

/** The storage line's corners, from its SVG path ("M x,y L x,y …"). */
function lineCorners(): Array<[number, number]> {
  const path = screen
    .getByTestId('storage-chart')
    .querySelector('path.recharts-line-curve');
  return (path!.getAttribute('d') ?? '')
    .split(/[ML]/)
    .filter(Boolean)
    .map(point => point.split(',').map(Number) as [number, number]);
}

describe('StorageChart', () => {
  it('draws storage as steps: one level per sample, held until the next, never a slope', async () => {
    await renderInTestApp(<StorageChart samples={samples} runs={[]} />);
    const corners = lineCorners();
    const levels = new Set(corners.map(([, y]) => y));
    expect(levels.size).toBe(samples.length);
    for (let i = 1; i < corners.length; i++) {
      const [[x0, y0], [x1, y1]] = [corners[i - 1], corners[i]];
      expect(x0 === x1 || y0 === y1).toBe(true);
    }
  });

  it('marks each GC run that finished in the period, and no run outside it or unfinished', async () => {
    await renderInTestApp(
      <StorageChart
        samples={samples}
        runs={[
          run({ id: 1 }),
          run({ id: 2, finishedAt: '2026-11-21T03:12:30Z' }),
          run({ id: 3, status: 'running', finishedAt: null }),
        ]}
      />,
    );
    expect(screen.getAllByTestId('gc-mark')).toHaveLength(1);
  });

  it('gives a GC run’s freed bytes in the tooltip at its mark', async () => {
    await renderInTestApp(
      <StorageChart samples={samples} runs={[run({ id: 1 })]} />,
    );
    const chart = screen.getByTestId('storage-chart');
    const markX = Number(
      within(chart)
        .getByTestId('gc-mark')
        .querySelector('line')!
        .getAttribute('x1'),
    );
    fireEvent.mouseMove(chart.querySelector('.recharts-wrapper')!, {
      clientX: markX,
      clientY: 100,
    });
    expect(
      await screen.findByText('GC succeeded, freed 3.0 GiB'),
    ).toBeInTheDocument();
  });

  it('gives a sample’s storage in the tooltip', async () => {
    await renderInTestApp(<StorageChart samples={samples} runs={[]} />);
    const [, , [lastX]] = lineCorners().slice(-3);
    fireEvent.mouseMove(
      screen.getByTestId('storage-chart').querySelector('.recharts-wrapper')!,
      { clientX: lastX, clientY: 100 },
    );
    expect(await screen.findByText('Storage: 6.0 GiB')).toBeInTheDocument();
  });

  it('labels the axes with times and bytes', async () => {
    await renderInTestApp(<StorageChart samples={samples} runs={[]} />);
    const chart = screen.getByTestId('storage-chart');
    const ticks = Array.from(
      chart.querySelectorAll('.recharts-cartesian-axis-tick-value'),
    ).map(tick => tick.textContent);
    expect(ticks.some(tick => /^\d\d:00$/.test(tick ?? ''))).toBe(true);
    expect(ticks.some(tick => /GiB$/.test(tick ?? ''))).toBe(true);
  });

  it('takes its colours from the theme, so the dark theme applies', async () => {
    const palette = themes.dark.getTheme('v4')!.palette;
    await renderInTestApp(
      <UnifiedThemeProvider theme={themes.dark}>
        <StorageChart samples={samples} runs={[run({ id: 1 })]} />
      </UnifiedThemeProvider>,
    );
    const chart = screen.getByTestId('storage-chart');
    expect(
      chart.querySelector('path.recharts-line-curve')!.getAttribute('stroke'),
    ).toBe(palette.primary.main);
    expect(
      within(chart)
        .getByTestId('gc-mark')
        .querySelector('line')!
        .getAttribute('stroke'),
    ).toBe(palette.secondary.main);
    expect(
      chart
        .querySelector('.recharts-cartesian-axis-tick-value')!
        .getAttribute('fill'),
    ).toBe(palette.text.secondary);
    expect(
      chart
        .querySelector('.recharts-cartesian-grid line')!
        .getAttribute('stroke'),
    ).toBe(palette.divider);
  });

  it('waits for a second sample before drawing', async () => {
    await renderInTestApp(
      <StorageChart samples={samples.slice(0, 1)} runs={[]} />,
    );
    expect(screen.queryByTestId('storage-chart')).not.toBeInTheDocument();
    expect(
      screen.getByText(/Not enough storage samples yet/),
    ).toBeInTheDocument();
  });
});
