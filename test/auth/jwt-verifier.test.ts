// JwtVerifier: RS256 and ES256 tokens against a JWKS file or URL, with
// keys and tokens made here (no network beyond a loopback server): iss, aud,
// exp (required), nbf, 60 s of tolerance, algorithms pinned, keys read again
// for an unknown kid; scopes make the role, none of ours is FORBIDDEN.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { JwtVerifier, REMEMBER_TOKEN_MS, roleOf } from '../../src/auth/jwt-verifier.js';
import { AUTHENTICATION_FAILED, ForbiddenError, UnauthorizedError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const ISS = 'https://issuer.example.com/';
const AUD = 'crm-bridge';
const NOW_S = Math.floor(Date.parse('2026-12-05T12:00:00Z') / 1000);

interface Signer { kid: string; alg: 'RS256' | 'ES256'; privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK }

async function signer(kid: string, alg: 'RS256' | 'ES256'): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function token(s: Signer, claims: Record<string, unknown> = {}, options: { iss?: string; aud?: string | string[]; exp?: number | null; nbf?: number; sub?: string | null } = {}): Promise<string> {
  const jwt = new SignJWT({ scope: 'crm.read', ...claims }).setProtectedHeader({ alg: s.alg, kid: s.kid }).setIssuer(options.iss ?? ISS).setAudience(options.aud ?? AUD).setIssuedAt(NOW_S - 10);
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'erp-client');
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? NOW_S + 600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(s.privateKey);
}

function unsigned(header: object, payload: object, signature = ''): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

async function refused(p: Promise<unknown>): Promise<UnauthorizedError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, 'refused').to.be.instanceOf(UnauthorizedError);
  expect((err as Error).message).to.equal(AUTHENTICATION_FAILED);
  return err as UnauthorizedError;
}

describe('JwtVerifier', () => {
  let rsa: Signer;
  let ec: Signer;
  let other: Signer;
  let jwksFile: string;
  let nowS: number;
  const verifier = (extra: { cooldownMs?: number; jwks?: string } = {}): JwtVerifier =>
    new JwtVerifier({ jwks: extra.jwks ?? jwksFile, issuer: ISS, audience: AUD, now: () => new Date(nowS * 1000), ...(extra.cooldownMs === undefined ? {} : { cooldownMs: extra.cooldownMs }) });

  before(async () => {
    [rsa, ec, other] = await Promise.all([signer('rsa-1', 'RS256'), signer('ec-1', 'ES256'), signer('rsa-2', 'RS256')]);
  });
  beforeEach(() => {
    nowS = NOW_S;
    jwksFile = path.join(tempDir('crm-jwks-'), 'jwks.json');
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
  });

  it('accepts RS256 and ES256 tokens: the subject is the caller, crm.read a reader, crm.write a writer', async () => {
    expect(await verifier().verify(await token(rsa))).to.deep.equal({ name: 'erp-client', role: 'reader', provenBy: 'bearer-token' });
    expect((await verifier().verify(await token(ec, { scope: 'openid crm.write' }))).role).to.equal('writer');
    expect((await verifier().verify(await token(ec, { scope: undefined, scp: ['crm.read', 'crm.write'] }))).role).to.equal('writer');
    expect((await verifier().verify(await token(rsa, {}, { aud: ['other', AUD] }))).role).to.equal('reader');
  });

  it('answers FORBIDDEN for a valid token with no crm.* scope', async () => {
    const err = await verifier().verify(await token(rsa, { scope: 'openid profile' })).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ForbiddenError);
  });

  it('reads scopes from scope (space separated) or scp (an array, or a string)', () => {
    expect(roleOf({ scope: 'a crm.read b' })).to.equal('reader');
    expect(roleOf({ scp: ['crm.write'] })).to.equal('writer');
    expect(roleOf({ scp: 'crm.read crm.write' })).to.equal('writer');
    expect(roleOf({ scope: 'crm.reader' })).to.equal(undefined);
    expect(roleOf({})).to.equal(undefined);
  });

  it('refuses the wrong issuer or audience', async () => {
    expect((await refused(verifier().verify(await token(rsa, {}, { iss: 'https://evil.example.com/' })))).reason).to.include('iss');
    expect((await refused(verifier().verify(await token(rsa, {}, { aud: 'someone-else' })))).reason).to.include('aud');
  });

  it('refuses an expired token and one not yet valid, each past 60 s of tolerance, and takes them within it', async () => {
    expect((await refused(verifier().verify(await token(rsa, {}, { exp: NOW_S - 61 })))).reason).to.include('ERR_JWT_EXPIRED');
    expect((await verifier().verify(await token(rsa, {}, { exp: NOW_S - 59 }))).role).to.equal('reader');
    expect((await refused(verifier().verify(await token(rsa, {}, { nbf: NOW_S + 61 })))).reason).to.include('nbf');
    expect((await verifier().verify(await token(rsa, {}, { nbf: NOW_S + 59 }))).role).to.equal('reader');
  });

  it('refuses a token without exp or without sub', async () => {
    expect((await refused(verifier().verify(await token(rsa, {}, { exp: null })))).reason).to.include('exp');
    expect((await refused(verifier().verify(await token(rsa, {}, { sub: null })))).reason).to.include('sub');
  });

  it('refuses alg none, and HS256 signed with the public key\'s bytes (the RS/HS confusion)', async () => {
    const payload = { iss: ISS, aud: AUD, sub: 'x', exp: NOW_S + 600, scope: 'crm.write' };
    expect((await refused(verifier().verify(unsigned({ alg: 'none', kid: rsa.kid }, payload))) ).reason).to.match(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
    const pem = await exportSPKI(rsa.publicKey);
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: rsa.kid })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    for (const secret of [pem, JSON.stringify(rsa.jwk)]) {
      const mac = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
      expect((await refused(verifier().verify(`${header}.${body}.${mac}`))).reason).to.include('ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });

  it('refuses a token signed by a key of the set but under another key\'s kid, and a tampered payload', async () => {
    const forged = await new SignJWT({ scope: 'crm.write' }).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).setIssuer(ISS).setAudience(AUD).setSubject('x').setExpirationTime(NOW_S + 600).sign(other.privateKey);
    expect((await refused(verifier().verify(forged))).reason).to.include('signature');
    const [h, , sig] = (await token(rsa)).split('.');
    const body = Buffer.from(JSON.stringify({ iss: ISS, aud: AUD, sub: 'x', exp: NOW_S + 600, scope: 'crm.write' })).toString('base64url');
    await refused(verifier().verify(`${h}.${body}.${sig}`));
  });

  it('reads the JWKS file again for an unknown kid (a key rotated in), at most once per cool-down, then refuses', async () => {
    const v = verifier({ cooldownMs: 30_000 });
    await v.verify(await token(rsa));
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, other.jwk] }));
    // Within the cool-down the file is not read again: the new kid is unknown still.
    expect((await refused(v.verify(await token(other)))).reason).to.include('ERR_JWKS_NO_MATCHING_KEY');
    nowS += 31;
    expect((await v.verify(await token(other, {}, { exp: nowS + 600 }))).name).to.equal('erp-client');
    nowS += 31;
    const unknown = await signer('never-published', 'ES256');
    expect((await refused(v.verify(await token(unknown, {}, { exp: nowS + 600 })))).reason).to.include('ERR_JWKS_NO_MATCHING_KEY');
  });

  it('remembers a verified token for REMEMBER_TOKEN_MS at most and never past its exp; a refusal is never remembered', async () => {
    // Rotating the keys out makes a token fail whenever it is verified again: so it passes only while remembered.
    const rotateOut = async (v: JwtVerifier): Promise<void> => {
      fs.writeFileSync(jwksFile, JSON.stringify({ keys: [other.jwk] }));
      nowS += 11;
      await v.verify(await token(other, {}, { exp: nowS + 600 }));
    };
    const lasting = await token(rsa, {}, { exp: NOW_S + 600 });
    const brief = await token(ec, {}, { exp: NOW_S + 40 });
    const v = new JwtVerifier({ jwks: jwksFile, issuer: ISS, audience: AUD, cooldownMs: 10_000, rememberMs: 120_000, now: () => new Date(nowS * 1000) });
    await v.verify(lasting);
    await v.verify(brief);
    await rotateOut(v);
    expect((await v.verify(lasting)).name).to.equal('erp-client');
    expect((await v.verify(brief)).name).to.equal('erp-client');
    nowS = NOW_S + 41;
    expect((await refused(v.verify(brief))).reason).to.include('ERR_JWKS_NO_MATCHING_KEY');
    expect((await v.verify(lasting)).name).to.equal('erp-client');
    nowS = NOW_S + 121;
    await refused(v.verify(lasting));

    nowS = NOW_S;
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    const byDefault = verifier({ cooldownMs: 10_000 });
    await byDefault.verify(lasting);
    await rotateOut(byDefault);
    nowS = NOW_S + REMEMBER_TOKEN_MS / 1000 - 1;
    expect((await byDefault.verify(lasting)).name).to.equal('erp-client');
    nowS = NOW_S + REMEMBER_TOKEN_MS / 1000 + 1;
    await refused(byDefault.verify(lasting));

    nowS = NOW_S;
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    const tampered = `${lasting.slice(0, -4)}AAAA`;
    const w = verifier();
    await refused(w.verify(tampered));
    await refused(w.verify(tampered));
  });

  it('fetches a JWKS URL once, again for an unknown kid, then refuses (a loopback server)', async () => {
    let keys = [rsa.jwk];
    let fetches = 0;
    const server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const v = verifier({ jwks: url, cooldownMs: 0 });
      await v.verify(await token(rsa));
      await v.verify(await token(rsa));
      expect(fetches).to.equal(1);
      keys = [rsa.jwk, ec.jwk];
      expect((await v.verify(await token(ec, { scope: 'crm.write' }))).role).to.equal('writer');
      expect(fetches).to.equal(2);
      await refused(v.verify(await token(other)));
      expect(fetches).to.equal(3);
    } finally {
      server.close();
    }
  });
});
