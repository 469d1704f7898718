import { makeStyles } from '@material-ui/core';
import { CopyTextButton, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { RepositoryTagView } from '@backstage-docr/plugin-docr-common';
import { DocrRegistryRef, docrApiRef } from '../api';
import { useCachedListing } from '../hooks/useCachedListing';
import { ListingTable } from './ListingTable';
import { formatBytes, formatTime } from './format';

const useStyles = makeStyles({
  code: { fontFamily: 'monospace', fontSize: '0.85rem' },
});

/** sha256:0123456789abcdef… → sha256:0123456789ab */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

export function pullCommand(
  registry: string,
  repository: string,
  tag: string,
): string {
  return `docker pull registry.digitalocean.com/${registry}/${repository}:${tag}`;
}

/** A repository's tags, newest first, each with the command that pulls it. */
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
  const columns: TableColumn<RepositoryTagView>[] = [
    { title: 'Tag', field: 'tag' },
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
      render: tag => {
        const command = pullCommand(name, repository, tag.tag);
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
      },
    },
  ];

  return (
    <ListingTable<RepositoryTagView>
      title={`Tags of ${repository}`}
      noun="tags"
      listing={tags}
      columns={columns}
    />
  );
}
