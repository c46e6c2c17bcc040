// What a caller presents, as the channel found it and before anything is
// verified: a WS-Security UsernameToken (SOAP header), or an Authorization
// header's Basic or Bearer credentials. Plain values; auth/ verifies them.

/** wsse:Password's Type: PasswordText (the default) or PasswordDigest. */
export type PasswordType = 'text' | 'digest';

/** A WS-Security 1.0 UsernameToken, its texts as sent (envelope/read-username-token.ts reads it). */
export interface UsernameToken {
  readonly kind: 'username-token';
  readonly username: string;
  /** The password (text) or Base64(SHA-1(nonce + created + password)) (digest). */
  readonly password: string;
  readonly passwordType: PasswordType;
  /** wsse:Nonce as sent, Base64 (its only EncodingType); absent when the token has none. */
  readonly nonce?: string | undefined;
  /** wsu:Created as sent (an xs:dateTime); the digest covers these very characters. */
  readonly created?: string | undefined;
}

/** Authorization: Basic (RFC 7617). */
export interface BasicCredentials {
  readonly kind: 'basic';
  readonly username: string;
  readonly password: string;
}

/** Authorization: Bearer (RFC 6750), a JWT for auth/jwt-verifier.ts. */
export interface BearerCredentials {
  readonly kind: 'bearer';
  readonly token: string;
}

export type Credentials = UsernameToken | BasicCredentials | BearerCredentials;

/**
 * What a request carries, as its channel collected it and before anything is
 * read or verified: the raw Authorization header, and for SOAP a reader of
 * the WS-Security UsernameToken. Read only while authentication is on, so a
 * malformed header or Security block changes nothing for a service with auth
 * off (v1 clients keep working); the token is read inside the request (its
 * envelope is alive then), by the stage that verifies it.
 */
export interface PresentedCredentials {
  readonly authorization?: string | undefined;
  readonly usernameToken?: () => UsernameToken | undefined;
}
