import { Typography } from '@material-ui/core';
import type { Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';

/** Links to related Resources as `useRelatedResources` gives them, or why there are none. */
export function RelatedResourceLinks(props: {
  related: { entities?: Entity[]; loading: boolean; error?: Error };
  /** What the catalog was asked for, as in "Could not read the clusters". */
  noun: string;
  empty: React.ReactNode;
}) {
  const { related, noun, empty } = props;
  if (related.error) {
    return (
      <Typography variant="body2" color="error">
        Could not read the {noun} from the catalog: {related.error.message}
      </Typography>
    );
  }
  if (related.loading || !related.entities) return <Progress />;
  if (!related.entities.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        {empty}
      </Typography>
    );
  }
  return (
    <EntityRefLinks entityRefs={related.entities} defaultKind="resource" />
  );
}
