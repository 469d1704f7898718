import { stringifyEntityRef } from '@backstage/catalog-model';
import { useState } from 'react';
import { Grid } from '@material-ui/core';
import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { RepositoryView } from '@backstage-docr/plugin-docr-common';
import { docrApiRef, registryRefOf } from '../api';
import { useCachedListing } from '../hooks/useCachedListing';
import { ListingTable } from './ListingTable';
import { RepositoryTagsTable } from './RepositoryTagsTable';
import { RetentionPreviewCard } from './RetentionPreviewCard';
import { formatBytes, formatTime } from './format';

const columns: TableColumn<RepositoryView>[] = [
  { title: 'Repository', field: 'name' },
  { title: 'Tags', field: 'tagCount', type: 'numeric' },
  { title: 'Manifests', field: 'manifestCount', type: 'numeric' },
  {
    title: 'Size (newest, uncompressed)',
    render: repository => formatBytes(repository.sizeBytes),
  },
  {
    title: 'Latest tag',
    render: repository => repository.latestTag?.tag ?? '—',
  },
  {
    title: 'Pushed at',
    render: repository => formatTime(repository.latestTag?.updatedAt),
  },
];

/** The "Repositories" tab: the registry's repositories; a click shows a repository's tags. */
export function RepositoriesContent() {
  const { entity } = useEntity();
  const registry = registryRefOf(entity);
  const { name, account } = registry;
  const api = useApi(docrApiRef);
  const [selected, setSelected] = useState<string>();
  const repositories = useCachedListing(
    query => api.listRepositories({ name, account }, query),
    [api, name, account],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <RetentionPreviewCard
          registry={registry}
          entityRef={stringifyEntityRef(entity)}
        />
      </Grid>
      <Grid item xs={12}>
        <ListingTable<RepositoryView>
          title="Repositories"
          noun="repositories"
          listing={repositories}
          columns={columns}
          onRowClick={repository => setSelected(repository.name)}
        />
      </Grid>
      {selected && (
        <Grid item xs={12}>
          <RepositoryTagsTable
            key={selected}
            registry={registry}
            repository={selected}
          />
        </Grid>
      )}
    </Grid>
  );
}
