// The one module that creates Envelope, Header, Body and Fault elements, for
// either SOAP version; the version's differences come from soap-version.ts.
import type { Fault } from '../fault.js';
import { writeServiceFault } from '../mapping/fault-xml.js';
import { newDocument, serialize, type XmlNode, type XmlParent } from '../xml/build.js';
import { NS } from '../xml/namespaces.js';
import { SOAP_VERSIONS, type SoapVersion } from './soap-version.js';

const PREFIX = { '1.1': 'soap', '1.2': 'env' } as const;

/** An envelope whose Body holds what `writeBody` appends. */
export function writeEnvelope(version: SoapVersion, writeBody: (body: XmlParent) => void): Buffer {
  const doc = newDocument();
  const p = PREFIX[version.name];
  const envelope = doc.ele(version.envelopeNs, `${p}:Envelope`);
  writeBody(envelope.ele(version.envelopeNs, `${p}:Body`));
  return serialize(doc);
}

export function writeFaultEnvelope(version: SoapVersion, fault: Fault): Buffer {
  const doc = newDocument();
  const ns = version.envelopeNs;
  const p = PREFIX[version.name];
  const envelope = doc.ele(ns, `${p}:Envelope`);
  const code = `${p}:${version.faultCodes[fault.kind]}`;
  if (version.name === '1.1') {
    const f = envelope.ele(ns, `${p}:Body`).ele(ns, `${p}:Fault`);
    // SOAP 1.1 section 4.4: faultcode, faultstring and detail are unqualified.
    f.ele('faultcode').txt(code);
    f.ele('faultstring').txt(fault.message);
    writeServiceFault(f.ele('detail'), fault);
  } else {
    writeSoap12Headers(envelope, ns, p, fault);
    const f = envelope.ele(ns, `${p}:Body`).ele(ns, `${p}:Fault`);
    const c = f.ele(ns, `${p}:Code`);
    c.ele(ns, `${p}:Value`).txt(code);
    // The contract code as a Subcode too, for clients that only look at env:Code.
    c.ele(ns, `${p}:Subcode`).ele(ns, `${p}:Value`).att('xmlns:crm', NS.crm).txt(`crm:${fault.code}`);
    f.ele(ns, `${p}:Reason`).ele(ns, `${p}:Text`).att('http://www.w3.org/XML/1998/namespace', 'xml:lang', 'en').txt(fault.message);
    writeServiceFault(f.ele(ns, `${p}:Detail`), fault);
  }
  return serialize(doc);
}

// SOAP 1.2 Part 1, 5.4.8 (NotUnderstood) and 5.4.7 (Upgrade).
function writeSoap12Headers(envelope: XmlNode, ns: string, p: string, fault: Fault): void {
  if (fault.kind !== 'mustUnderstand' && fault.kind !== 'versionMismatch') return;
  const header = envelope.ele(ns, `${p}:Header`);
  if (fault.kind === 'mustUnderstand') {
    fault.notUnderstood.forEach((q, i) => {
      header.ele(ns, `${p}:NotUnderstood`).att(`xmlns:h${i}`, q.ns).att('qname', `h${i}:${q.local}`);
    });
  } else {
    const upgrade = header.ele(ns, `${p}:Upgrade`);
    SOAP_VERSIONS.forEach((v, i) => {
      upgrade.ele(ns, `${p}:SupportedEnvelope`).att(`xmlns:v${i}`, v.envelopeNs).att('qname', `v${i}:Envelope`);
    });
  }
}
