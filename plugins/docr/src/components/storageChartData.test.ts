import type { GcRunView } from '@backstage-docr/plugin-docr-common';
import { gcRunMarks, storageChartRows } from './storageChartData';

const run = (id: number, finishedAt: string | null) =>
  ({ id, finishedAt, freedBytes: 100, status: 'succeeded' }) as GcRunView;

const at = (iso: string) => Date.parse(iso);

describe('storageChartRows', () => {
  const samples = [
    { storageBytes: 600, sampledAt: '2026-11-22T06:00:00Z' },
    { storageBytes: 800, sampledAt: '2026-11-22T02:00:00Z' },
    { storageBytes: 500, sampledAt: '2026-11-22T04:00:00Z' },
  ];

  it('orders the samples by time', () => {
    expect(storageChartRows(samples, []).map(r => r.storageBytes)).toEqual([
      800, 500, 600,
    ]);
  });

  it('adds a row where runs finished, holding the storage sampled before it', () => {
    const rows = storageChartRows(samples, [
      run(1, '2026-11-22T03:00:00Z'),
      run(2, '2026-11-22T05:00:00Z'),
      run(3, '2026-11-22T05:00:00Z'),
    ]);
    expect(
      rows.map(r => [r.time, r.storageBytes, r.runs.map(x => x.id)]),
    ).toEqual([
      [at('2026-11-22T02:00:00Z'), 800, []],
      [at('2026-11-22T03:00:00Z'), 800, [1]],
      [at('2026-11-22T04:00:00Z'), 500, []],
      [at('2026-11-22T05:00:00Z'), 500, [2, 3]],
      [at('2026-11-22T06:00:00Z'), 600, []],
    ]);
  });

  it('puts a run that finished at a sample’s time after the sample', () => {
    const rows = storageChartRows(samples, [run(1, '2026-11-22T04:00:00Z')]);
    expect(rows.map(r => [r.storageBytes, r.runs.length])).toEqual([
      [800, 0],
      [500, 0],
      [500, 1],
      [600, 0],
    ]);
  });
});

describe('gcRunMarks', () => {
  it('keeps the finished runs within the samples’ period', () => {
    const samples = [
      { storageBytes: 1, sampledAt: '2026-11-22T02:00:00Z' },
      { storageBytes: 1, sampledAt: '2026-11-22T06:00:00Z' },
    ];
    const marks = gcRunMarks(samples, [
      run(1, '2026-11-22T01:59:59Z'),
      run(2, '2026-11-22T02:00:00Z'),
      run(3, null),
      run(4, '2026-11-22T06:00:00Z'),
      run(5, '2026-11-22T06:00:01Z'),
    ]);
    expect(marks.map(m => m.run.id)).toEqual([2, 4]);
  });
});
