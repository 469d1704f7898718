import { Box, Button, Grid } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { GcRunView } from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';
import { GC_RUNS_PAGE_SIZE, useGcRunHistory } from '../hooks/useGcRunHistory';
import { useStorageHistory } from '../hooks/useStorageHistory';
import { GcCard, StatusChip } from './GcCard';
import { RegistryCard } from './RegistryCard';
import { SavingsCard } from './SavingsCard';
import { StorageChart } from './StorageChart';
import { formatBytes, formatDuration, formatRetention } from './format';

const TRIGGER: Record<GcRunView['trigger'], string> = {
  window: 'GC window',
  manual: 'run by hand',
  external: 'DigitalOcean console or doctl',
};

const columns: TableColumn<GcRunView>[] = [
  {
    title: 'Started',
    render: run => new Date(run.startedAt ?? run.createdAt).toLocaleString(),
  },
  { title: 'Status', render: run => <StatusChip status={run.status} /> },
  {
    title: 'Tags deleted first',
    render: run => formatRetention(run.retention),
  },
  { title: 'Freed', render: run => formatBytes(run.freedBytes) },
  { title: 'Duration', render: run => formatDuration(run.durationMs) },
  {
    title: 'Started by',
    render: run =>
      run.requestedBy
        ? `${TRIGGER[run.trigger]}: ${run.requestedBy}`
        : TRIGGER[run.trigger],
  },
  { title: 'Note', render: run => run.reason ?? '' },
];

const STORAGE_DAYS = 30;

/** The "Registry" tab: the cards, GC history (paginated) and storage over time with GC marked. */
export function RegistryContent() {
  const { entity } = useEntity();
  const registry = registryRefOf(entity);
  const runs = useGcRunHistory(registry);
  const storage = useStorageHistory(registry, STORAGE_DAYS);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <RegistryCard />
      </Grid>
      <Grid item xs={12} md={6}>
        <GcCard />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Storage, last ${STORAGE_DAYS} days`}>
          {storage.loading && <Progress />}
          {storage.error && <ResponseErrorPanel error={storage.error} />}
          {storage.value && (
            <StorageChart
              samples={storage.value}
              runs={runs.value?.items ?? []}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <SavingsCard
          subject={{ registry: registry.name, account: registry.account }}
        />
      </Grid>
      <Grid item xs={12}>
        {runs.error ? (
          <InfoCard title="Garbage collection history">
            <ResponseErrorPanel error={runs.error} />
            <Box mt={1}>
              <Button variant="outlined" onClick={runs.retry}>
                Retry
              </Button>
            </Box>
          </InfoCard>
        ) : (
          <Table<GcRunView>
            title="Garbage collection history"
            isLoading={runs.loading}
            columns={columns}
            data={runs.value?.items ?? []}
            page={runs.page}
            totalCount={runs.value?.totalCount ?? 0}
            onPageChange={runs.setPage}
            options={{
              paging: true,
              pageSize: GC_RUNS_PAGE_SIZE,
              pageSizeOptions: [GC_RUNS_PAGE_SIZE],
              search: false,
              padding: 'dense',
            }}
            emptyContent={<Box p={2}>GC has never run</Box>}
          />
        )}
      </Grid>
    </Grid>
  );
}
