import type { Region } from '@backstage-docr/digitalocean-openapi';
import { paginate } from '../pagination';
import { OperationContext, OperationResult, ok } from './context';

const FEATURES = [
  'backups',
  'ipv6',
  'metadata',
  'install_agent',
  'storage',
  'image_transfer',
];
const SIZES = ['s-1vcpu-1gb', 's-1vcpu-2gb', 's-2vcpu-4gb', 's-4vcpu-8gb'];

const region = (slug: string, name: string): Region => ({
  slug,
  name,
  features: FEATURES,
  available: true,
  sizes: SIZES,
});

/** DigitalOcean's data center regions, as `/v2/regions` lists them. */
export const REGIONS: Region[] = [
  region('nyc1', 'New York 1'),
  region('nyc3', 'New York 3'),
  region('sfo2', 'San Francisco 2'),
  region('sfo3', 'San Francisco 3'),
  region('ams3', 'Amsterdam 3'),
  region('sgp1', 'Singapore 1'),
  region('lon1', 'London 1'),
  region('fra1', 'Frankfurt 1'),
  region('tor1', 'Toronto 1'),
  region('blr1', 'Bangalore 1'),
  region('syd1', 'Sydney 1'),
  region('atl1', 'Atlanta 1'),
];

export function listRegions(ctx: OperationContext): OperationResult {
  const page = paginate(REGIONS, ctx.query, ctx.url);
  return ok({ regions: page.items, links: page.links, meta: page.meta });
}
