import type { ReactNode } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import type { CachedPageView } from '@backstage-docr/plugin-docr-common';
import {
  CachedListingState,
  LISTING_PAGE_SIZE,
} from '../hooks/useCachedListing';
import { formatTime } from './format';

/**
 * A listing the docr backend keeps from DigitalOcean as a table: searched and paged on the
 * backend, "being listed" while the backend lists it, errors with a retry.
 */
export function ListingTable<T extends object>(props: {
  title: string;
  /** What is listed, for the search field and the messages: "repositories", "tags". */
  noun: string;
  listing: CachedListingState<T>;
  columns: TableColumn<T>[];
  onRowClick?: (row: T) => void;
  /** Above the table: what the rows are about. */
  header?: ReactNode;
}) {
  const { title, noun, listing, columns, onRowClick, header } = props;
  const page: CachedPageView<T> | undefined = listing.value;

  if ((listing.listing && !page) || (listing.error && !listing.listing)) {
    return <ListingState title={title} noun={noun} listing={listing} />;
  }
  return (
    <Box>
      {header}
      <SearchField noun={noun} listing={listing} />
      <Table<T>
        title={title}
        isLoading={listing.loading}
        columns={columns}
        data={page?.items ?? []}
        page={listing.page}
        totalCount={page?.totalCount ?? 0}
        onPageChange={listing.setPage}
        onRowClick={
          onRowClick ? (_event, row) => row && onRowClick(row) : undefined
        }
        options={{
          paging: true,
          pageSize: LISTING_PAGE_SIZE,
          pageSizeOptions: [LISTING_PAGE_SIZE],
          search: false,
          padding: 'dense',
        }}
        emptyContent={
          <Box p={2}>
            {listing.search
              ? `No ${noun} match "${listing.search}"`
              : `No ${noun}`}
          </Box>
        }
      />
    </Box>
  );
}

/** Before the first page: "being listed" while the backend lists, or its error with a retry. */
function ListingState<T>(props: {
  title: string;
  noun: string;
  listing: CachedListingState<T>;
}) {
  const { title, noun, listing } = props;
  if (listing.listing || !listing.error) {
    return (
      <Box p={2}>
        <Typography variant="h6">{title}</Typography>
        <Typography color="textSecondary">
          The docr backend is listing the {noun} from DigitalOcean…
        </Typography>
        <Progress />
      </Box>
    );
  }
  return (
    <Box p={2}>
      <Typography variant="h6">{title}</Typography>
      <ResponseErrorPanel error={listing.error} />
      <Box mt={1}>
        <Button variant="outlined" onClick={listing.retry}>
          Retry
        </Button>
      </Box>
    </Box>
  );
}

/** The backend's search over the listing, and when DigitalOcean was last read. */
function SearchField<T>(props: {
  noun: string;
  listing: CachedListingState<T>;
}) {
  const { noun, listing } = props;
  const page = listing.value;
  return (
    <Box display="flex" alignItems="center" gridGap={16} mb={1}>
      <TextField
        id={`docr-search-${noun}`}
        label={`Search ${noun}`}
        value={listing.search}
        onChange={event => listing.setSearch(event.target.value)}
        margin="dense"
        variant="outlined"
      />
      {page && (
        <Typography variant="caption" color="textSecondary">
          Listed from DigitalOcean {formatTime(page.fetchedAt)}
        </Typography>
      )}
    </Box>
  );
}
