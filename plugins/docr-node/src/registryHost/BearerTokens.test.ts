import { MAX_TOKEN_SECONDS, tokenSeconds } from './BearerTokens';

describe('tokenSeconds', () => {
  it("holds a token as long as the realm's expires_in says, up to five minutes", () => {
    expect(tokenSeconds(120)).toBe(120);
    expect(tokenSeconds(300)).toBe(300);
    expect(MAX_TOKEN_SECONDS).toBe(300);
    expect(tokenSeconds(301)).toBe(300);
    expect(tokenSeconds(1e12)).toBe(300);
    expect(tokenSeconds(Infinity)).toBe(300);
  });

  it('takes a missing or invalid expires_in for the spec default of 60 s', () => {
    for (const bogus of [undefined, null, 0, -5, NaN, 'forever', '3600', {}])
      expect(tokenSeconds(bogus)).toBe(60);
  });
});
