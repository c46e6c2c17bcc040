// XSD validation bolted on the typical way: an express middleware in front of
// node-soap reads the raw body, parses it with libxmljs2, takes the Body's
// payload into a document of its own and calls doc.validate(xsd) against
// customer.xsd, parsed once at start-up. An invalid request is answered with
// a SOAP 1.1 client fault carrying the contract's ServiceFault; a valid one
// goes on to node-soap, which reads the body express left in req.body.
//
// The payload is serialised and parsed again because libxmljs2 has no way to
// validate one element in place, and moving a cloned element into a new
// Document corrupts libxml2's heap in libxmljs2 0.35 (tried: "Memory tag
// error" on every call). libxmljs2's validate() also compiles the schema on
// every call; that is what "the typical way" costs, and why it is measured.
import fs from 'node:fs';
import express from 'express';
import type { RequestHandler } from 'express';
import libxml from 'libxmljs2';
import type { Document, Element, ValidationError } from 'libxmljs2';

const NS = 'urn:crm-bridge:customer:v1';
const ENVELOPE_NS = { s11: 'http://schemas.xmlsoap.org/soap/envelope/', s12: 'http://www.w3.org/2003/05/soap-envelope' };
/** The same limit as crm-bridge's default (CRM_MAX_BODY_BYTES). */
const MAX_BODY = 16 * 1024 * 1024;

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Lines and columns are those of the re-parsed payload, not of the request: the typical way loses them. */
function fault(code: string, message: string, errors: readonly ValidationError[]): string {
  const details = errors
    .map((e) => `<error><line>${e.line ?? 0}</line><column>${e.column}</column><message>${escapeXml(e.message.trim())}</message></error>`)
    .join('');
  return '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<soap:Fault><faultcode>soap:Client</faultcode><faultstring>${escapeXml(message)}</faultstring><detail>` +
    `<ServiceFault xmlns="${NS}"><code>${code}</code><message>${escapeXml(message)}</message>${details}</ServiceFault>` +
    '</detail></soap:Fault></soap:Body></soap:Envelope>';
}

/** `xsdPath`: customer.xsd; parsed once, here. */
export function validateRequests(xsdPath: string): RequestHandler[] {
  const xsd = libxml.parseXml(fs.readFileSync(xsdPath, 'utf8'), { baseUrl: xsdPath });
  const validate: RequestHandler = (req, res, next) => {
    if (req.method !== 'POST') return next();
    const body: unknown = req.body;
    const reject = (code: string, message: string, errors: readonly ValidationError[] = []): void => {
      res.status(500).type('text/xml; charset=utf-8').send(fault(code, message, errors));
    };
    let payload: Document;
    try {
      const envelope = libxml.parseXml(Buffer.isBuffer(body) ? body.toString('utf8') : '');
      const element = envelope.get<Element>('/s11:Envelope/s11:Body/* | /s12:Envelope/s12:Body/*', ENVELOPE_NS);
      if (element === null) return reject('VALIDATION_FAILED', 'no payload in the SOAP Body');
      // toString() writes only the namespaces declared on the element itself:
      // a client that declares the payload's prefix on the Envelope (SoapUI
      // does) would lose it, so every namespace in scope is declared first.
      const local = new Set(element.namespaces(true).map((ns) => ns.prefix()));
      for (const ns of element.namespaces()) {
        if (local.has(ns.prefix())) continue;
        if (ns.prefix()) element.defineNamespace(ns.prefix(), ns.href());
        else element.defineNamespace(ns.href());
      }
      payload = libxml.parseXml(element.toString());
    } catch (err) {
      return reject('MALFORMED_XML', err instanceof Error ? err.message : String(err));
    }
    if (!payload.validate(xsd)) {
      return reject('VALIDATION_FAILED', 'the request does not conform to the schema', payload.validationErrors);
    }
    next();
  };
  // Every content type: node-soap itself does not look at it either.
  return [express.raw({ type: () => true, limit: MAX_BODY }), validate];
}
