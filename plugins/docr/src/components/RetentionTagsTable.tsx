import { Box, Typography } from '@material-ui/core';
import { Table, TableColumn } from '@backstage/core-components';
import type {
  RetentionRepositoryPreviewView,
  RetentionTagPreviewView,
} from '@backstage-docr/plugin-docr-common';
import { formatBytes, formatTime } from './format';
import {
  attachmentNoun,
  describePreviewTag,
  displayTag,
  shortDigest,
} from './imageGraph';
import { PlatformChips } from './TagImageSummary';

export type RetentionAction = 'delete' | 'keep';

/** A tag of the preview with its repository, what the rules do with it and why, in words. */
export type RetentionRow = RetentionTagPreviewView & {
  repository: string;
  action: RetentionAction;
  why: string;
};

/** Every tag the preview deletes or keeps, each with its reasons in words. */
export function retentionRows(
  repositories: RetentionRepositoryPreviewView[],
  action: RetentionAction,
): RetentionRow[] {
  return repositories.flatMap(repository => {
    const all = [...repository.delete, ...repository.keep];
    const tags = action === 'delete' ? repository.delete : repository.keep;
    return tags.map(tag => ({
      ...tag,
      repository: repository.name,
      action,
      why: describePreviewTag(tag, all),
    }));
  });
}

/** What goes with a tag (its platforms, its attachments) and that it goes with it. */
export function ClosureCell(props: { row: RetentionRow }) {
  const { row } = props;
  const platforms = row.closure?.platforms ?? [];
  // An attachment's closure names itself: only what goes with it is shown.
  const attachments = (row.closure?.attachments ?? []).filter(
    attachment =>
      attachment.digest !== row.digest && attachment.tag !== row.tag,
  );
  if (!platforms.length && !attachments.length) return <>—</>;
  const fate = row.action === 'delete' ? 'deleted with it' : 'kept with it';
  return (
    <Box data-testid={`closure-${row.repository}-${row.tag}`}>
      {platforms.length > 0 && (
        <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={4}>
          <PlatformChips platforms={platforms} />
          <Typography variant="caption" color="textSecondary">
            platforms: {fate}
          </Typography>
        </Box>
      )}
      {attachments.map(attachment => (
        <Typography
          key={attachment.digest}
          variant="body2"
          title={attachment.tag ?? attachment.digest}
        >
          {attachmentNoun(attachment.kind)}{' '}
          {attachment.tag
            ? displayTag(attachment.tag)
            : shortDigest(attachment.digest)}
          : {fate}
        </Typography>
      ))}
    </Box>
  );
}

const columns: TableColumn<RetentionRow>[] = [
  { title: 'Repository', field: 'repository' },
  {
    title: 'Tag',
    field: 'tag',
    render: row => <span title={row.tag}>{displayTag(row.tag)}</span>,
  },
  { title: 'Pushed at', render: row => formatTime(row.updatedAt) },
  {
    title: 'Compressed size',
    render: row => formatBytes(row.compressedSizeBytes),
  },
  { title: 'With it', render: row => <ClosureCell row={row} /> },
  { title: 'Why', field: 'why' },
];

/** The tags the rules delete, or keep: with what goes with each, and why. */
export function RetentionTagsTable(props: {
  title: string;
  rows: RetentionRow[];
}) {
  return (
    <Table<RetentionRow>
      title={props.title}
      options={{
        paging: true,
        pageSize: 10,
        search: true,
        padding: 'dense',
      }}
      columns={columns}
      data={props.rows}
    />
  );
}
