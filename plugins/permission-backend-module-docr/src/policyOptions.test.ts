import { ConfigReader } from '@backstage/config';
import { readPolicyOptions } from './policyOptions';

describe('readPolicyOptions', () => {
  it('takes the provider accounts from catalog.providers.digitalocean (default account when none is named), once each', () => {
    const config = new ConfigReader({
      catalog: {
        providers: {
          digitalocean: {
            main: { owner: 'group:default/platform' },
            teamB: { account: 'team-b', owner: 'group:default/team-b' },
            teamBAgain: { account: 'team-b', owner: 'group:default/team-b' },
          },
        },
      },
    });
    expect(readPolicyOptions(config)).toEqual({
      providerAccounts: ['default', 'team-b'],
      readModel: 'everyone',
      readers: [],
    });
  });

  it('has no provider account without the block: no entity carries rights', () => {
    expect(readPolicyOptions(new ConfigReader({})).providerAccounts).toEqual(
      [],
    );
  });

  it('reads the owners read model and its readers', () => {
    const config = new ConfigReader({
      docr: {
        permissions: {
          readModel: 'owners',
          readers: ['group:default/platform'],
        },
      },
    });
    expect(readPolicyOptions(config)).toMatchObject({
      readModel: 'owners',
      readers: ['group:default/platform'],
    });
  });

  it.each([
    [
      { readModel: 'teams' },
      'docr.permissions.readModel must be one of everyone, owners; got "teams"',
    ],
    [
      { readModel: 'owners', readers: ['platform'] },
      'docr.permissions.readers[0] "platform" is not an entity ref, e.g. group:default/platform',
    ],
    [
      { readers: ['group:default/platform'] },
      'docr.permissions.readers applies to the owners read model only',
    ],
  ])('refuses %j naming the key', (permissions, message) => {
    expect(() =>
      readPolicyOptions(new ConfigReader({ docr: { permissions } })),
    ).toThrow(message);
  });
});
