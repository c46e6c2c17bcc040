// GET /exchange as an operator's script would read it: every answer must be
// application/xml and valid against xsd/exchange.xsd (libxml2, compiled
// once); fields are read with the exchange namespace, never a prefix. And
// the crm_exchange_* figures of /metrics, for comparing the two.
import { expect } from 'chai';
import fs from 'node:fs';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { EXCHANGE_XSD } from '../../src/validation/schema-files.js';
import { NS } from '../../src/xml/namespaces.js';

const schema = ((): XsdValidator => {
  const doc = XmlDocument.fromBuffer(fs.readFileSync(EXCHANGE_XSD));
  try {
    return XsdValidator.fromDoc(doc);
  } finally {
    doc.dispose();
  }
})();

const Q = { x: NS.exchange };

export interface FileInProgressView {
  readonly name: string;
  readonly claimedAt: string;
  readonly host: string;
  readonly pid: number;
  readonly phase: string;
  readonly recordsCommitted: number;
  readonly bytesRead: number | undefined;
  readonly bytes: number;
}

export interface ExchangeView {
  readonly state: string;
  readonly folder: string | undefined;
  readonly processed: { imported: number; failedRecords: number; duplicate: number } | undefined;
  readonly failed: number | undefined;
  readonly inProgressCount: number | undefined;
  readonly inProgress: FileInProgressView[];
  readonly inboxCount: number | undefined;
  readonly inbox: { name: string; bytes: number; modifiedAt: string }[];
  readonly lastError: { file: string; at: string; code: string; message: string } | undefined;
}

/** Fails unless `text` is valid against exchange.xsd. */
export function expectValidExchangeStatus(text: string): void {
  const doc = XmlDocument.fromString(text);
  try {
    schema.validate(doc);
  } catch (err) {
    if (!(err instanceof XmlValidateError)) throw err;
    expect.fail(`answer fails exchange.xsd: ${err.details.map((d) => `line ${d.line}: ${d.message.trim()}`).join('; ')}\n${text}`);
  } finally {
    doc.dispose();
  }
}

export async function getExchange(baseUrl: string): Promise<{ view: ExchangeView; text: string }> {
  const res = await fetch(`${baseUrl}/exchange`);
  const text = await res.text();
  expect(res.status, text).to.equal(200);
  expect(res.headers.get('content-type')).to.equal('application/xml; charset=utf-8');
  expectValidExchangeStatus(text);
  const root = libxml.parseXml(text).root() as Element;
  const str = (node: Element, xpath: string): string | undefined => node.get<Element>(xpath, Q)?.text();
  const num = (node: Element, xpath: string): number | undefined => {
    const t = str(node, xpath);
    return t === undefined ? undefined : Number(t);
  };
  const count = (node: Element, xpath: string): number | undefined => {
    const value = node.get<Element>(xpath, Q)?.attr('count')?.value();
    return value === undefined ? undefined : Number(value);
  };
  // libxmljs2 answers undefined (typed null) for no match.
  const processed = root.get<Element>('x:processed', Q) ?? undefined;
  const lastError = root.get<Element>('x:lastError', Q) ?? undefined;
  return {
    text,
    view: {
      state: str(root, 'x:state') ?? '',
      folder: str(root, 'x:folder'),
      processed: processed === undefined ? undefined : {
        imported: num(processed, 'x:imported') ?? -1,
        failedRecords: num(processed, 'x:failedRecords') ?? -1,
        duplicate: num(processed, 'x:duplicate') ?? -1,
      },
      failed: num(root, 'x:failed'),
      inProgress: root.find<Element>('x:inProgress/x:file', Q).map((f) => ({
        name: str(f, 'x:name') ?? '',
        claimedAt: str(f, 'x:claimedAt') ?? '',
        host: str(f, 'x:host') ?? '',
        pid: num(f, 'x:pid') ?? -1,
        phase: str(f, 'x:phase') ?? '',
        recordsCommitted: num(f, 'x:recordsCommitted') ?? -1,
        bytesRead: num(f, 'x:bytesRead'),
        bytes: num(f, 'x:bytes') ?? -1,
      })),
      inProgressCount: count(root, 'x:inProgress'),
      inboxCount: count(root, 'x:inbox'),
      inbox: root.find<Element>('x:inbox/x:file', Q).map((f) => ({
        name: str(f, 'x:name') ?? '',
        bytes: num(f, 'x:bytes') ?? -1,
        modifiedAt: str(f, 'x:modifiedAt') ?? '',
      })),
      lastError: lastError === undefined ? undefined : {
        file: str(lastError, 'x:file') ?? '',
        at: str(lastError, 'x:at') ?? '',
        code: str(lastError, 'x:code') ?? '',
        message: str(lastError, 'x:message') ?? '',
      },
    },
  };
}

/** The crm_exchange_* samples of /metrics, as `name{labels}` -> value. */
export async function exchangeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`);
  expect(res.status).to.equal(200);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^(crm_exchange_\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) samples.set(m[1], Number(m[2]));
  }
  return samples;
}
