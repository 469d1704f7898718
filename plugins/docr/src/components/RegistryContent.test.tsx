import { screen } from '@testing-library/react';
import { RegistryContent } from './RegistryContent';
import { GIB, fakeApi, render, run } from './__testUtils__/cards';

const retentionOutcome = {
  deleted: 413,
  deletedTags: 412,
  deletedManifests: 1,
  deletedByRule: { '0': 400, '1': 13 },
  skipped: 2,
  failed: 0,
  remaining: 5,
  estimatedFreedBytes: 3 * GIB,
  tagsListed: 900,
  plannedAt: '2026-11-22T03:00:00Z',
};

describe('RegistryContent', () => {
  it('lists the GC history with status, freed bytes, duration and who started it', async () => {
    const api = fakeApi({
      listRuns: jest.fn(async () => ({
        items: [
          run({ id: 3, trigger: 'window', retention: retentionOutcome }),
          run({ id: 2, trigger: 'manual', requestedBy: 'user:default/jane' }),
          run({
            id: 1,
            trigger: 'external',
            status: 'cancelled',
            freedBytes: 0,
          }),
        ],
        totalCount: 3,
        limit: 10,
        offset: 0,
      })),
      getStorage: jest.fn(async () => [
        { storageBytes: 8 * GIB, sampledAt: '2026-11-22T02:00:00Z' },
        { storageBytes: 5 * GIB, sampledAt: '2026-11-22T04:00:00Z' },
      ]),
    });
    await render(<RegistryContent />, { api });
    expect(
      await screen.findByText('run by hand: user:default/jane'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('DigitalOcean console or doctl'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('12 min 30 s')).toHaveLength(3);
    // What the window run's retention deleted before its GC, by rule.
    expect(
      screen.getByText(
        '412 tags and 1 untagged manifest (rule 1: 400, rule 2: 13); 2 kept (pushed again), 5 left for the next window',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('cancelled')).toBeInTheDocument();
    expect(await screen.findByTestId('storage-chart')).toBeInTheDocument();
    expect(screen.getAllByTestId('gc-mark')).toHaveLength(3);
  });

  it('says GC has never run, and that storage samples are still coming', async () => {
    await render(<RegistryContent />);
    expect(
      await screen.findByText(
        'Not enough storage samples yet (one is taken every hour).',
      ),
    ).toBeInTheDocument();
    expect(await screen.findAllByText('GC has never run')).not.toHaveLength(0);
  });
});
