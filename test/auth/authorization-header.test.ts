// readAuthorization: HTTP Basic (RFC 7617) and Bearer (RFC 6750) credentials
// from an Authorization header; anything else that is there is UNAUTHORIZED.
import { expect } from 'chai';
import { readAuthorization } from '../../src/auth/authorization-header.js';
import { UnauthorizedError } from '../../src/errors.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('readAuthorization', () => {
  it('reads Basic credentials, UTF-8, the password after the first colon, the scheme in any case', () => {
    expect(readAuthorization(`Basic ${b64('alice:pa:ss wörd')}`)).to.deep.equal({ kind: 'basic', username: 'alice', password: 'pa:ss wörd' });
    expect(readAuthorization(`basic ${b64('bob:')}`)).to.deep.equal({ kind: 'basic', username: 'bob', password: '' });
    expect(readAuthorization(`  BASIC   ${b64('c:d')}  `)).to.deep.equal({ kind: 'basic', username: 'c', password: 'd' });
  });

  it('reads a Bearer token as it is', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_';
    expect(readAuthorization(`Bearer ${jwt}`)).to.deep.equal({ kind: 'bearer', token: jwt });
    expect(readAuthorization(`bearer ${jwt}`)).to.deep.equal({ kind: 'bearer', token: jwt });
  });

  it('finds nothing without a header', () => {
    expect(readAuthorization(undefined)).to.equal(undefined);
    expect(readAuthorization('  ')).to.equal(undefined);
  });

  it('refuses another scheme, a missing value, Basic that is not Base64 or has no colon, a Bearer with spaces', () => {
    for (const header of ['Digest username="a"', 'Negotiate abc', 'Basic', 'Bearer', 'Basic !!!', `Basic ${b64('nocolon')}`, 'Bearer a b']) {
      expect(() => readAuthorization(header), header).to.throw(UnauthorizedError);
    }
  });
});
