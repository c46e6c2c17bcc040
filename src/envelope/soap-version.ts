// The differences between SOAP 1.1 and 1.2 as data, so no code branches on
// "is it 1.2". Everything a version changes on the wire is here.
import type { SoapFaultKind } from '../fault.js';
import { NS } from '../xml/namespaces.js';

export type { SoapFaultKind };

export interface SoapVersion {
  readonly name: '1.1' | '1.2';
  readonly envelopeNs: string;
  readonly mediaType: string;
  readonly contentType: string;
  /** The fault code QName's local part per kind (the prefix is the envelope's). */
  readonly faultCodes: Readonly<Record<SoapFaultKind, string>>;
  /** HTTP status of a fault of this kind. */
  readonly faultStatus: Readonly<Record<SoapFaultKind, number>>;
}

export const SOAP11: SoapVersion = {
  name: '1.1',
  envelopeNs: NS.soap11,
  mediaType: 'text/xml',
  contentType: 'text/xml; charset=utf-8',
  faultCodes: { sender: 'Client', receiver: 'Server', versionMismatch: 'VersionMismatch', mustUnderstand: 'MustUnderstand' },
  // WS-I Basic Profile 1.1, R1126: every SOAP 1.1 fault is HTTP 500.
  faultStatus: { sender: 500, receiver: 500, versionMismatch: 500, mustUnderstand: 500 },
};

export const SOAP12: SoapVersion = {
  name: '1.2',
  envelopeNs: NS.soap12,
  mediaType: 'application/soap+xml',
  contentType: 'application/soap+xml; charset=utf-8',
  faultCodes: { sender: 'Sender', receiver: 'Receiver', versionMismatch: 'VersionMismatch', mustUnderstand: 'MustUnderstand' },
  // SOAP 1.2 Part 2, 7.5.1.2: env:Sender -> 400, everything else -> 500.
  faultStatus: { sender: 400, receiver: 500, versionMismatch: 500, mustUnderstand: 500 },
};

export const SOAP_VERSIONS: readonly SoapVersion[] = [SOAP11, SOAP12];

export function versionByMediaType(mediaType: string): SoapVersion | undefined {
  return SOAP_VERSIONS.find((v) => v.mediaType === mediaType);
}

export function versionByEnvelopeNs(ns: string | undefined): SoapVersion | undefined {
  return SOAP_VERSIONS.find((v) => v.envelopeNs === ns);
}
