// POST /soap/CustomerService, socket-free: transport -> parse -> envelope ->
// dispatch -> envelope. Any failure becomes one fault in the SOAP version the
// Content-Type asked for (SOAP 1.1 when the Content-Type names neither).
import type { CallerVerifier } from '../dispatch/auth-stage.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { readEnvelope } from '../envelope/read-envelope.js';
import { readUsernameToken, SECURITY_HEADER } from '../envelope/read-username-token.js';
import { SOAP11, versionByMediaType, type SoapVersion } from '../envelope/soap-version.js';
import { writeEnvelope, writeFaultEnvelope } from '../envelope/write-envelope.js';
import { UnsupportedMediaTypeError } from '../errors.js';
import { faultFor, type FaultLogger } from '../fault.js';
import { parseXml } from '../xml/parse-xml.js';
import { parseContentType, unquote } from './content-type.js';
import { header, type HttpReply, type HttpRequestLike, type Outcome } from './http-reply.js';
import { faultHeaders, soapFaultStatus, SUCCESS_STATUS } from './http-status.js';

export class SoapEndpoint {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly maxBodyBytes: number,
    private readonly log: FaultLogger,
    /** Whether auth is on: only then is wsse:Security processed, so only then may it carry mustUnderstand. */
    private readonly auth: Pick<CallerVerifier, 'on'> = { on: () => false },
  ) {}

  async handle(req: HttpRequestLike): Promise<Outcome> {
    const contentType = parseContentType(header(req, 'content-type'));
    const version = versionByMediaType(contentType.mediaType);
    let operation: string | undefined;
    try {
      if (version === undefined) {
        throw new UnsupportedMediaTypeError(
          `Content-Type '${contentType.mediaType}' is not SOAP: use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)`,
        );
      }
      const source = await req.readBody(this.maxBodyBytes);
      const doc = parseXml(source);
      try {
        const message = readEnvelope(doc, version, this.auth.on() ? [SECURITY_HEADER] : []);
        const action = version === SOAP11 ? unquote(header(req, 'soapaction')) : contentType.params.get('action') ?? '';
        const entry = this.dispatcher.resolve(message.payload, action);
        operation = entry.name;
        // Collected, not read: the auth stage reads and verifies them, and only while auth is on (the envelope is alive until dispatch returns).
        const credentials = { authorization: header(req, 'authorization'), usernameToken: () => readUsernameToken(message.headers, version) };
        const context = { channel: `soap-${version.name}` as const, requestId: req.requestId, credentials };
        const result = await this.dispatcher.dispatch(context, entry, { root: doc.root, source, payload: message.payload });
        return { reply: ok(version, writeEnvelope(version, (parent) => entry.write(parent, result))), operation, faultCode: undefined };
      } finally {
        // The DOM lives in WebAssembly memory, which no garbage collector frees.
        doc.dispose();
      }
    } catch (err) {
      return this.faultOutcome(req, err, operation);
    }
  }

  /**
   * `err` as a fault in the SOAP version the Content-Type asked for (1.1 when
   * it names neither). Also the transport's last resort for anything that
   * escaped handle(), so even that is answered as a SOAP fault.
   */
  faultOutcome(req: HttpRequestLike, err: unknown, operation?: string): Outcome {
    const v: SoapVersion = versionByMediaType(parseContentType(header(req, 'content-type')).mediaType) ?? SOAP11;
    const fault = faultFor(err, req.requestId, this.log);
    const reply: HttpReply = {
      status: soapFaultStatus(v, fault),
      headers: { 'content-type': v.contentType, ...faultHeaders(fault) },
      body: writeFaultEnvelope(v, fault),
    };
    return { reply, operation, faultCode: fault.code };
  }
}

function ok(version: SoapVersion, body: Buffer): HttpReply {
  return { status: SUCCESS_STATUS.ok, headers: { 'content-type': version.contentType }, body };
}
