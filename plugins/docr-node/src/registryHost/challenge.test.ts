import { isTrustedRealm, parseBearerChallenge } from './challenge';

describe('parseBearerChallenge', () => {
  it('reads the realm and service of a Bearer challenge', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://api.digitalocean.com/v2/registry/auth",service="registry.digitalocean.com"',
      ),
    ).toEqual({
      realm: 'https://api.digitalocean.com/v2/registry/auth',
      service: 'registry.digitalocean.com',
    });
  });

  it('takes unquoted values and ignores other parameters', () => {
    expect(
      parseBearerChallenge(
        'bearer realm=http://127.0.0.1:4012/v2/token, scope="repository:a/b:pull"',
      ),
    ).toEqual({ realm: 'http://127.0.0.1:4012/v2/token', service: undefined });
  });

  it('is undefined for Basic challenges and missing headers', () => {
    expect(parseBearerChallenge('Basic realm="registry"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="x"')).toBeUndefined();
  });
});

describe('isTrustedRealm', () => {
  const trusted = [
    'https://registry.digitalocean.com',
    'https://api.digitalocean.com',
  ];

  it('trusts the registry host and DigitalOcean API origins only', () => {
    expect(
      isTrustedRealm('https://api.digitalocean.com/v2/registry/auth', trusted),
    ).toBe(true);
    expect(
      isTrustedRealm('https://registry.digitalocean.com/token', trusted),
    ).toBe(true);
    expect(isTrustedRealm('https://evil.example/token', trusted)).toBe(false);
    expect(
      isTrustedRealm('http://api.digitalocean.com/v2/registry/auth', trusted),
    ).toBe(false);
    expect(isTrustedRealm('not a url', trusted)).toBe(false);
  });
});
