import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { MaturityCheck } from '@backstage-docr/plugin-docr-common';
import { useMaturity } from '../hooks/useMaturity';

const LEVELS = {
  1: 'proof of concept',
  2: 'non-production',
  3: 'production',
} as const;

const MARKS = {
  passed: { mark: '✓', label: 'passed', color: 'primary' },
  failed: { mark: '✗', label: 'not passed', color: 'error' },
  unknown: { mark: '?', label: 'to confirm', color: 'textSecondary' },
} as const;

function StatusMark({ status }: { status: MaturityCheck['status'] }) {
  const { mark, label, color } = MARKS[status];
  return (
    <Typography variant="h6" color={color} aria-label={label} component="span">
      {mark}
    </Typography>
  );
}

/**
 * Where the registry stands on the operations procedure's maturity levels: the level, each
 * check with what decided it, and what to do next.
 */
export function MaturityCard() {
  const { entity } = useEntity();
  const maturity = useMaturity(entity);
  const assessment = maturity.value;
  return (
    <InfoCard
      title={
        assessment
          ? `Maturity: level ${assessment.level}, ${LEVELS[assessment.level]}`
          : 'Maturity'
      }
    >
      {maturity.loading && <Progress />}
      {maturity.error && <ResponseErrorPanel error={maturity.error} />}
      {assessment && (
        <>
          <List dense data-testid="maturity-checks">
            {assessment.checks.map(c => (
              <ListItem key={c.id} data-status={c.status}>
                <ListItemIcon>
                  <StatusMark status={c.status} />
                </ListItemIcon>
                <ListItemText
                  primary={`${c.title} (level ${c.level})`}
                  secondary={c.detail}
                />
              </ListItem>
            ))}
          </List>
          {assessment.nextSteps.length > 0 && (
            <>
              <Typography variant="subtitle2">Next steps</Typography>
              <ol data-testid="maturity-next-steps">
                {assessment.nextSteps.map(step => (
                  <li key={step}>
                    <Typography variant="body2">{step}</Typography>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </InfoCard>
  );
}
