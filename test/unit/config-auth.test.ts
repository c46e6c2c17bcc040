// loadConfig's authentication settings (contract v1.1): where the users and
// the digest key live, the PasswordDigest switch, bearer tokens' settings.
import { expect } from 'chai';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';

describe('loadConfig: authentication settings', () => {
  it('puts users.json and users.key in the data folder, digest on, no tokens, by default', () => {
    const config = loadConfig({ CRM_DATA_DIR: '/srv/crm' });
    expect(config.usersFile).to.equal(path.resolve('/srv/crm/users.json'));
    expect(config.usersKeyFile).to.equal(path.resolve('/srv/crm/users.key'));
    expect(config.wsseDigest).to.equal(true);
    expect(config.jwt).to.equal(undefined);
  });

  it('takes CRM_USERS_FILE, CRM_USERS_KEY_FILE (relative to the data folder) and CRM_WSSE_DIGEST=off', () => {
    const config = loadConfig({ CRM_DATA_DIR: '/srv/crm', CRM_USERS_FILE: 'auth/people.json', CRM_USERS_KEY_FILE: '/etc/crm/users.key', CRM_WSSE_DIGEST: 'off' });
    expect(config.usersFile).to.equal(path.resolve('/srv/crm/auth/people.json'));
    expect(config.usersKeyFile).to.equal('/etc/crm/users.key');
    expect(config.wsseDigest).to.equal(false);
    expect(() => loadConfig({ CRM_WSSE_DIGEST: 'no' })).to.throw('CRM_WSSE_DIGEST must be on or off');
  });

  it('needs CRM_JWT_ISSUER and CRM_JWT_AUDIENCE with CRM_JWT_JWKS, which is a file or an https URL', () => {
    const jwt = { CRM_JWT_ISSUER: 'https://login.example.com/', CRM_JWT_AUDIENCE: 'crm-bridge' };
    expect(loadConfig({ CRM_JWT_JWKS: 'https://login.example.com/jwks', ...jwt }).jwt).to.deep.equal({ jwks: 'https://login.example.com/jwks', issuer: jwt.CRM_JWT_ISSUER, audience: 'crm-bridge' });
    expect(loadConfig({ CRM_JWT_JWKS: 'keys/jwks.json', ...jwt }).jwt?.jwks).to.equal(path.resolve('keys/jwks.json'));
    expect(() => loadConfig({ CRM_JWT_JWKS: 'https://login.example.com/jwks' })).to.throw('needs CRM_JWT_ISSUER and CRM_JWT_AUDIENCE');
    expect(() => loadConfig({ CRM_JWT_JWKS: 'http://login.example.com/jwks', ...jwt })).to.throw('a file or an https:// URL');
  });
});
