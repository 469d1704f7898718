/**
 * DigitalOcean's page-number pagination: `page` and `per_page` (default 20, at most 200) in,
 * `links.pages.{first,prev,next,last}` and `meta.total` out. The token-paginated endpoints
 * (repositoriesV2) also accept `page_token`, which here encodes the page number.
 */

export interface Page<T> {
  items: T[];
  links: { pages?: Record<string, string> };
  meta: { total: number };
}

export function paginate<T>(
  items: T[],
  query: Record<string, string | undefined>,
  selfUrl: URL,
  options: { tokens?: boolean } = {},
): Page<T> {
  const perPage = Math.min(
    Math.max(Number(query.per_page ?? 20) || 20, 1),
    200,
  );
  let page = Math.max(Number(query.page ?? 1) || 1, 1);
  if (options.tokens && query.page_token) {
    const decoded = Number(
      Buffer.from(query.page_token, 'base64url').toString('utf8'),
    );
    if (Number.isInteger(decoded) && decoded >= 1) page = decoded;
  }
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number) => {
    const url = new URL(selfUrl);
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(perPage));
    if (options.tokens)
      url.searchParams.set(
        'page_token',
        Buffer.from(String(target)).toString('base64url'),
      );
    else url.searchParams.delete('page_token');
    return url.toString();
  };
  const pages: Record<string, string> = {};
  if (page > 1) {
    pages.first = link(1);
    pages.prev = link(Math.min(page - 1, lastPage));
  }
  if (page < lastPage) {
    pages.next = link(page + 1);
    pages.last = link(lastPage);
  }
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    links: Object.keys(pages).length ? { pages } : {},
    meta: { total: items.length },
  };
}
