import { resolveClusters } from './clusters';

const clusters = [
  { id: 'a1', name: 'prod-ams3', region: 'ams3' },
  { id: 'b2', name: 'staging-fra1', region: 'fra1' },
] as any[];

describe('resolveClusters', () => {
  it('finds clusters by id, name or entity ref in the account’s namespace only', () => {
    expect(
      resolveClusters(
        ['a1', 'staging-fra1', 'resource:default/doks-prod-ams3'],
        clusters,
      ),
    ).toEqual({ found: [clusters[0], clusters[1]], unknown: [] });
    // team-b's entity of a cluster with the same name is not the default account's cluster.
    expect(
      resolveClusters(['resource:team-b/doks-prod-ams3'], clusters),
    ).toEqual({ found: [], unknown: ['resource:team-b/doks-prod-ams3'] });
    expect(
      resolveClusters(['resource:team-b/doks-prod-ams3'], clusters, 'team-b'),
    ).toEqual({ found: [clusters[0]], unknown: [] });
  });
});
