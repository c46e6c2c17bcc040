// Batch records for UpsertCustomers tests, and a reader for its report.
import type { Element } from 'libxmljs2';
import { NS } from '../../src/xml/namespaces.js';
import { payloadOf, text, type SoapAnswer } from './soap-client.js';

export interface RecordOptions {
  readonly name?: string;
  readonly postalCode?: string;
  readonly id?: string;
  readonly version?: number;
  readonly omitExternalId?: boolean;
}

export function record(externalId: string, opts: RecordOptions = {}): string {
  return `<c:customer>${opts.id ? `<c:id>${opts.id}</c:id>` : ''}${opts.omitExternalId ? '' : `<c:externalId>${externalId}</c:externalId>`}` +
    `<c:type>ORGANIZATION</c:type><c:name>${opts.name ?? `Company ${externalId}`}</c:name>` +
    `<c:addresses><c:address type="BILLING"><c:line1>Road 1</c:line1><c:city>Town</c:city>` +
    `<c:postalCode>${opts.postalCode ?? '12345'}</c:postalCode><c:country>DE</c:country></c:address></c:addresses>` +
    `${opts.version !== undefined ? `<c:version>${opts.version}</c:version>` : ''}</c:customer>\n`;
}

export interface ReportView {
  readonly batchId: string | undefined;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly results: { index: number; externalId?: string; id?: string; status: string; code?: string; message?: string }[];
}

export function reportOf(answer: SoapAnswer): ReportView {
  const p = payloadOf(answer);
  const Q = { c: NS.crm };
  return {
    batchId: text(p, 'c:batchId'),
    created: Number(text(p, 'c:created')),
    updated: Number(text(p, 'c:updated')),
    unchanged: Number(text(p, 'c:unchanged')),
    failed: Number(text(p, 'c:failed')),
    results: p.find<Element>('c:result', Q).map((r) => ({
      index: Number(text(r, 'c:index')),
      externalId: text(r, 'c:externalId'),
      id: text(r, 'c:id'),
      status: text(r, 'c:status') ?? '',
      code: text(r, 'c:error/c:code'),
      message: text(r, 'c:error/c:message'),
    })),
  };
}
