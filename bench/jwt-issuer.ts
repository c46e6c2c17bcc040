// An OAuth 2.0 token issuer for the bench, with jose and no network: an RS256
// and an ES256 key pair made at start, their public halves written as a JWKS
// file (what CRM_JWT_JWKS names), and access tokens signed with either, as an
// authorization server hands them to a client that then sends the same token
// with every call until it expires.
import fs from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

export const JWT_ALGORITHMS = ['RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** A token for `subject` with `scope`, signed with the key of `alg`, valid for an hour. */
  token(alg: JwtAlgorithm, subject: string, scope: string): Promise<string>;
}

/** Makes the key pairs and writes the public keys to `jwksFile` (mode 0600, like the service's own key files). */
export async function makeJwtIssuer(jwksFile: string, issuer: string, audience: string): Promise<JwtIssuer> {
  const keys = new Map<JwtAlgorithm, CryptoKey>();
  const published: JWK[] = [];
  for (const alg of JWT_ALGORITHMS) {
    // RSA 2048, the size identity providers issue RS256 tokens with; P-256 for ES256.
    const pair = await generateKeyPair(alg, alg === 'RS256' ? { modulusLength: 2048 } : {});
    keys.set(alg, pair.privateKey);
    published.push({ ...(await exportJWK(pair.publicKey)), kid: `bench-${alg.toLowerCase()}`, alg, use: 'sig' });
  }
  fs.writeFileSync(jwksFile, `${JSON.stringify({ keys: published }, null, 2)}\n`, { mode: 0o600 });
  return {
    issuer,
    audience,
    async token(alg, subject, scope) {
      const key = keys.get(alg);
      if (key === undefined) throw new Error(`no ${alg} key`);
      return new SignJWT({ scope })
        .setProtectedHeader({ alg, kid: `bench-${alg.toLowerCase()}`, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    },
  };
}
