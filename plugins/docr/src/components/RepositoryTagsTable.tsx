import { useEffect } from 'react';
import { Typography, makeStyles } from '@material-ui/core';
import { CopyTextButton, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { RepositoryTagView } from '@backstage-docr/plugin-docr-common';
import { DocrRegistryRef, docrApiRef } from '../api';
import { LISTING_RETRY_MS, useCachedListing } from '../hooks/useCachedListing';
import { ListingTable } from './ListingTable';
import { formatBytes, formatTime } from './format';
import {
  displayTag,
  isAttachment,
  pullCommand,
  shortDigest,
} from './imageGraph';
import { TagImageSummary } from './TagImageSummary';
import { TagInUseChips } from './TagInUseChips';

const useStyles = makeStyles({
  code: { fontFamily: 'monospace', fontSize: '0.85rem' },
});

/** How a tag is pulled: helm for a chart, docker for an image; an attachment goes with its image. */
function PullCell(props: {
  registry: string;
  repository: string;
  tag: RepositoryTagView;
}) {
  const classes = useStyles();
  const kind = props.tag.image?.kind;
  if (isAttachment(kind)) {
    return (
      <Typography variant="caption" color="textSecondary">
        pulled with the image it is attached to
      </Typography>
    );
  }
  const command = pullCommand(
    props.registry,
    props.repository,
    props.tag.tag,
    kind,
  );
  return (
    <>
      <span className={classes.code}>{command}</span>
      <CopyTextButton
        text={command}
        tooltipText="Command copied"
        aria-label={`Copy ${command}`}
      />
    </>
  );
}

/**
 * A repository's tags, newest first: what each is (platforms, signed, attested, SBOM, Helm chart,
 * attachment), where it runs (DOKS clusters and namespaces, App Platform apps) and the command
 * that pulls it.
 */
export function RepositoryTagsTable(props: {
  registry: DocrRegistryRef;
  repository: string;
}) {
  const { registry, repository } = props;
  const { name, account } = registry;
  const classes = useStyles();
  const api = useApi(docrApiRef);
  const tags = useCachedListing(
    query => api.listTags({ name, account }, repository, query),
    [api, name, account, repository],
  );
  // While the backend reads the images through the registry host, asks again: what each tag is
  // shows without a reload.
  const imagesPending = tags.value?.imagesPending ?? false;
  const { loading, retry } = tags;
  useEffect(() => {
    if (!imagesPending || loading) return undefined;
    const timer = setTimeout(retry, LISTING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [imagesPending, loading, retry]);
  const columns: TableColumn<RepositoryTagView>[] = [
    {
      title: 'Tag',
      field: 'tag',
      render: tag => <span title={tag.tag}>{displayTag(tag.tag)}</span>,
    },
    {
      title: 'Image',
      render: tag => <TagImageSummary tag={tag.tag} image={tag.image} />,
    },
    {
      title: 'Running in',
      render: tag => <TagInUseChips tag={tag.tag} inUse={tag.inUse} />,
    },
    {
      title: 'Digest',
      render: tag => (
        <span className={classes.code} title={tag.digest}>
          {shortDigest(tag.digest)}
        </span>
      ),
    },
    {
      title: 'Compressed size',
      render: tag => formatBytes(tag.compressedSizeBytes),
    },
    { title: 'Pushed at', render: tag => formatTime(tag.updatedAt) },
    {
      title: 'Pull',
      render: tag => (
        <PullCell registry={name} repository={repository} tag={tag} />
      ),
    },
  ];

  return (
    <ListingTable<RepositoryTagView>
      title={`Tags of ${repository}`}
      noun="tags"
      listing={tags}
      columns={columns}
      header={
        imagesPending ? (
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="images-pending"
          >
            Reading what each image is through the registry host…
          </Typography>
        ) : undefined
      }
    />
  );
}
