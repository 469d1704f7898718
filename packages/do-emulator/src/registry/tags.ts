import { RegistryError } from '../model/registryErrors';
import type { RegistryResponse } from './response';
import type { RepositoryCall } from './routes';

/**
 * GET `/v2/<name>/tags/list`: the tags in lexical order; `n` and `last` page through them, with a
 * `Link` to the next page while more remain.
 */
export function listTags(call: RepositoryCall): RegistryResponse {
  const repository = call.registry.storage.repositories.get(call.repository);
  if (!repository) {
    throw new RegistryError(
      404,
      'NAME_UNKNOWN',
      `repository name not known to registry: ${call.name}`,
    );
  }
  const params = call.url.searchParams;
  const last = params.get('last');
  const n = params.has('n') ? Number(params.get('n')) : undefined;
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
    throw new RegistryError(
      400,
      'UNSUPPORTED',
      `n must be a non-negative integer, got "${params.get('n')}"`,
    );
  }
  const all = [...repository.tags.keys()]
    .sort((a, b) => (a < b ? -1 : Number(a > b)))
    .filter(tag => last === null || tag > last);
  const tags = n === undefined ? all : all.slice(0, n);
  const headers: Record<string, string> = {};
  if (n !== undefined && n > 0 && all.length > tags.length) {
    const next = new URLSearchParams({ n: String(n), last: tags.at(-1)! });
    headers.link = `</v2/${call.name}/tags/list?${next}>; rel="next"`;
  }
  return { status: 200, headers, body: { name: call.name, tags } };
}
