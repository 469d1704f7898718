import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a bearer token grants: actions on repositories named `<registry>/<repository>`. */
export interface TokenAccess {
  type: 'repository';
  name: string;
  actions: string[];
}

export interface TokenClaims {
  /** The user of the docker credentials the token was issued for. */
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  /** The registry the credentials are for; absent for an account-wide credential. */
  registry?: string;
  access: TokenAccess[];
}

const base64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

/**
 * Signs and checks the registry's bearer tokens: JWTs (HS256) in the shape of Docker's token
 * spec, with a key of this emulator only, so a token names the registry and scope it grants.
 */
export class TokenSigner {
  private readonly key = randomBytes(32);

  sign(claims: TokenClaims): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`;
  }

  /** The token's claims when it is ours and unexpired at `nowSeconds`, else undefined. */
  verify(token: string, nowSeconds: number): TokenClaims | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length) return undefined;
    const expected = Buffer.from(this.signature(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return undefined;
    try {
      const claims = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as TokenClaims;
      return claims.exp > nowSeconds ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private signature(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}
