import {
  clusterEntityName,
  parseContainerRepository,
  registryEntityName,
  subscriptionEntityName,
} from './annotations';

describe('entity names', () => {
  it('prefixes registry and cluster names', () => {
    expect(registryEntityName('acme-prod')).toBe('docr-acme-prod');
    expect(clusterEntityName('prod-ams3')).toBe('doks-prod-ams3');
    // Never a registry's entity name, whatever the registry is called.
    expect(subscriptionEntityName('default')).toBe(
      'do-registry-subscription-default',
    );
    expect(subscriptionEntityName('default')).not.toBe(
      registryEntityName('subscription-default'),
    );
  });

  it('fits the 63-character limit with a stable suffix that tells long names apart', () => {
    const a = registryEntityName(`${'a'.repeat(60)}-x`);
    const b = registryEntityName(`${'a'.repeat(60)}-y`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(registryEntityName(`${'a'.repeat(60)}-x`)).toBe(a);
    expect(a).toMatch(/^docr-a+-[0-9a-z]{7}$/);
    expect(registryEntityName('a'.repeat(58))).toBe(`docr-${'a'.repeat(58)}`);
  });
});

describe('the container repository of a Component', () => {
  it('names the registry and the repository, which may hold more slashes', () => {
    expect(parseContainerRepository('acme-prod/web')).toEqual({
      registry: 'acme-prod',
      repository: 'web',
    });
    expect(parseContainerRepository('acme-prod/team/web')).toEqual({
      registry: 'acme-prod',
      repository: 'team/web',
    });
  });

  it('names nothing without both parts', () => {
    expect(parseContainerRepository('acme-prod')).toBeUndefined();
    expect(parseContainerRepository('/web')).toBeUndefined();
    expect(parseContainerRepository('acme-prod/')).toBeUndefined();
  });
});
