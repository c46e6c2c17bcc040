// GET /api/docs: the OpenAPI document as a plain HTML page, made from the
// document itself, open like /openapi.json, and self-contained (the machine
// may be offline): every /api route is on it, nothing is loaded from elsewhere.
import { expect } from 'chai';
import { API_ROUTES } from '../../src/transport/api-routes.js';
import { basic, writeUsers } from '../helpers/auth.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('GET /api/docs', () => {
  let server: TestServer;
  let html: string;
  let res: Response;
  before(async () => {
    // With authentication on: the page is open, as /openapi.json is.
    const dataDir = tempDir('crm-api-page-');
    await writeUsers(dataDir, { erp: { password: 'erp secret', role: 'writer' } });
    server = await startServer({ CRM_DATA_DIR: dataDir });
    res = await fetch(`${server.url}/api/docs`);
    html = await res.text();
  });
  after(async () => { await server.close(); });

  it('serves an HTML page without credentials, loading nothing (Content-Security-Policy default-src none)', () => {
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).to.match(/^default-src 'none'/);
    expect(html).to.match(/^<!DOCTYPE html>/);
  });

  it('lists every route of the route table, with its summary, parameters and answers', () => {
    for (const route of API_ROUTES) {
      expect(html, `${route.method} ${route.path}`).to.contain(`<span class="method">${route.method}</span> <code>/api${route.path.replace(/&/g, '&#38;')}</code>`);
      expect(html, route.operation).to.contain(`id="op-${route.operation}"`);
      for (const status of [route.success.status, ...route.errors]) expect(html).to.contain(`<td>${status}</td>`);
      for (const name of route.query?.names ?? []) expect(html).to.contain(`<code>${name}</code>`);
    }
    // The schemas, linked from where they are used.
    expect(html).to.contain('<h3 id="schema-Customer">Customer</h3>').and.contain('<a href="#schema-CustomerAnswer">CustomerAnswer</a>');
  });

  it('refers to nothing outside the service: no script, stylesheet, image or absolute URL', () => {
    expect(html).to.not.match(/<script|<link|<img|<iframe|@import|url\(/i);
    const targets = [...html.matchAll(/\b(?:href|src|action)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? '');
    expect(targets.length).to.be.greaterThan(API_ROUTES.length);
    expect(targets.filter((t) => !t.startsWith('#') && t !== '/openapi.json')).to.deep.equal([]);
    expect(html).to.not.match(/https?:\/\//);
  });

  it('answers 405 with Allow: GET for another method', async () => {
    const a = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: { authorization: basic('erp', 'erp secret') } });
    expect(a.status).to.equal(405);
    expect(a.headers.get('allow')).to.equal('GET');
    expect(((await a.json()) as { code: string }).code).to.equal('UNKNOWN_OPERATION');
  });
});
