import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import type { ImageInUseView } from '@backstage-docr/plugin-docr-common';

/** One chip per cluster and namespace, or app: what it shows and every place it stands for. */
interface Place {
  label: string;
  places: string[];
  /** Runs or is deployed now; a previous release kept for a rollback is not. */
  current: boolean;
}

function placeLabel(view: ImageInUseView): string {
  if (view.app) return `app ${view.app}`;
  if (view.cluster)
    return view.namespace ? `${view.cluster}: ${view.namespace}` : view.cluster;
  return view.where;
}

function groupPlaces(views: ImageInUseView[]): Place[] {
  const byLabel = new Map<string, Place>();
  for (const view of views) {
    const label = placeLabel(view);
    const place = byLabel.get(label) ?? { label, places: [], current: false };
    place.places.push(view.where);
    place.current ||= view.use !== 'previousRelease';
    byLabel.set(label, place);
  }
  return [...byLabel.values()].sort(
    (a, b) => Number(b.current) - Number(a.current),
  );
}

/**
 * Where a tag's image runs, as the docr backend last read the account's DOKS clusters and App
 * Platform apps: a chip per cluster and namespace, or app, each place in its tooltip; a place
 * that only keeps it as a previous release (a rollback target) is marked so.
 */
export function TagInUseChips(props: {
  tag: string;
  inUse?: ImageInUseView[];
}) {
  const { tag, inUse } = props;
  if (!inUse) {
    return (
      <Typography variant="caption" color="textSecondary">
        not known yet
      </Typography>
    );
  }
  if (!inUse.length) {
    return (
      <Typography variant="caption" color="textSecondary">
        not in use
      </Typography>
    );
  }
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      gridGap={4}
      data-testid={`in-use-${tag}`}
    >
      {groupPlaces(inUse).map(place => (
        <Tooltip key={place.label} title={place.places.join('\n')}>
          <Chip
            size="small"
            color={place.current ? 'primary' : 'default'}
            variant={place.current ? 'default' : 'outlined'}
            label={place.current ? place.label : `rollback: ${place.label}`}
          />
        </Tooltip>
      ))}
    </Box>
  );
}
