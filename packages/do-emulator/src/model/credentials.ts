import { randomBytes } from 'node:crypto';

/** Docker credentials the account issued (`/v2/registries/{name}/docker-credentials`). */
export interface IssuedCredential {
  registryName?: string;
  readWrite: boolean;
  /** 0: they never expire. */
  expirySeconds: number;
  issuedAt: number;
  username: string;
  password: string;
}

export function newCredential(
  registryName: string | undefined,
  readWrite: boolean,
  expirySeconds: number,
  issuedAt: number,
): IssuedCredential {
  return {
    registryName,
    readWrite,
    expirySeconds,
    issuedAt,
    username: randomBytes(16).toString('hex'),
    password: randomBytes(16).toString('hex'),
  };
}

/** The `auth` value of a docker config: base64 of `user:password`. */
export function dockerAuth(credential: IssuedCredential): string {
  return Buffer.from(`${credential.username}:${credential.password}`).toString(
    'base64',
  );
}

/** When the credential stops working, in epoch ms; undefined when it never expires. */
export function credentialExpiresAt(
  credential: IssuedCredential,
): number | undefined {
  return credential.expirySeconds > 0
    ? credential.issuedAt + credential.expirySeconds * 1000
    : undefined;
}

/** The credential with this user and password, expired or not. */
export function findCredential(
  issued: readonly IssuedCredential[],
  username: string,
  password: string,
): IssuedCredential | undefined {
  return issued.find(c => c.username === username && c.password === password);
}
