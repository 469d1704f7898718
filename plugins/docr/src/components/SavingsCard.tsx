import { Box, Button, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { SavingsView } from '@backstage-docr/plugin-docr-common';
import { SavingsSubject, docrApiRef } from '../api';
import { useSavings } from '../hooks/useSavings';
import { SavingsChart } from './SavingsChart';
import { formatBytes, formatCents } from './format';

const MONTHS = 12;

/** "Reaches its included 5 GiB around 2027-02-14 at +120 MiB a day", or why not. */
export function describeForecast(view: SavingsView): string {
  const { trend, tier } = view;
  if (!tier)
    return 'The tier is not known yet (it is read with the hourly listing).';
  const included = formatBytes(tier.includedStorageBytes);
  if (trend.includedStorageReached)
    return `The account is past its included ${included}.`;
  if (trend.includedStorageReachedOn && trend.growthBytesPerDay)
    return `At ${formatBytes(trend.growthBytesPerDay)} a day the account reaches its included ${included} around ${trend.includedStorageReachedOn}.`;
  return `At the current growth the account does not reach its included ${included}.`;
}

function downloadCsv(csv: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * What garbage collection and retention saved over the last year, month by month: bytes freed,
 * the overage that avoided at the tier's price, the storage trend and when the included storage
 * is reached; a CSV download of the months.
 */
export function SavingsCard({ subject }: { subject: SavingsSubject }) {
  const api = useApi(docrApiRef);
  const savings = useSavings(subject, MONTHS);
  const view = savings.value;
  const name = subject.registry ?? `account-${subject.account ?? 'default'}`;

  return (
    <InfoCard title="Savings from clean-up">
      {savings.loading && <Progress />}
      {savings.error && <ResponseErrorPanel error={savings.error} />}
      {view && (
        <>
          <Typography variant="body2" data-testid="savings-freed">
            <strong>Freed in {MONTHS} months:</strong>{' '}
            {formatBytes(view.totals.freedBytes)} by {view.totals.runs} garbage
            collection{view.totals.runs === 1 ? '' : 's'}
            {view.totals.retentionFreedBytes
              ? `, ${formatBytes(view.totals.retentionFreedBytes)} of it after retention deleted ${view.totals.tagsDeleted} tags`
              : ''}
          </Typography>
          <Typography variant="body2" data-testid="savings-overage">
            <strong>Overage avoided:</strong>{' '}
            {view.tier
              ? `${formatCents(view.totals.overageAvoidedCents)} at the ${view.tier.name} tier's ${formatCents(view.tier.storageOveragePriceInCents)} per GiB`
              : '—'}
          </Typography>
          <Typography variant="body2" data-testid="savings-forecast">
            {describeForecast(view)}
          </Typography>
          <Box mt={1}>
            <SavingsChart months={view.months} />
          </Box>
          <Box mt={1}>
            <Button
              size="small"
              variant="outlined"
              onClick={async () =>
                downloadCsv(
                  await api.getSavingsCsv(subject, { months: MONTHS }),
                  `docr-savings-${name}.csv`,
                )
              }
            >
              Download CSV
            </Button>
          </Box>
        </>
      )}
    </InfoCard>
  );
}
