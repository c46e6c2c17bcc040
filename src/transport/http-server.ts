// The server a process listens with: plain HTTP, or HTTPS when the operator
// gives a certificate and key (CRM_TLS_CERT, CRM_TLS_KEY). Node's own TLS
// (OpenSSL) does the work; this module only reads the PEM files, says which
// one is wrong when they do not make a pair, and swaps them in on a rotation.
import fs from 'node:fs';
import { createServer as createHttp, type RequestListener, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createSecureContext, type SecureContextOptions, type Server as TlsServer } from 'node:tls';

/** Where the PEM files are (config.ts reads them from CRM_TLS_CERT and CRM_TLS_KEY). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

function readPem(setting: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${setting}: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The certificate and key of `tls`, checked to be a pair that OpenSSL accepts. */
function secureContextOptions(tls: TlsFiles): SecureContextOptions {
  const options = { cert: readPem('CRM_TLS_CERT', tls.certFile), key: readPem('CRM_TLS_KEY', tls.keyFile) };
  try {
    createSecureContext(options);
  } catch (err) {
    throw new Error(`CRM_TLS_CERT (${tls.certFile}) and CRM_TLS_KEY (${tls.keyFile}) are not a PEM certificate and its private key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return options;
}

/** An HTTPS server when `tls` is set, else HTTP, with `options` (timeouts); throws, naming the setting, when the files cannot serve. */
export function createHttpServer(listener: RequestListener, tls: TlsFiles | undefined, options: ServerOptions = {}): Server {
  if (tls === undefined) return createHttp(options, listener);
  // https.Server is a tls.Server that serves HTTP: every http.Server member the service uses is there.
  return createHttps({ ...options, ...secureContextOptions(tls) }, listener) as unknown as Server;
}

/**
 * Reads the certificate and key again and serves new connections with them
 * (SIGHUP: a renewed certificate without a restart); connections already
 * open keep theirs. Throws, and changes nothing, when the new files are bad.
 */
export function reloadCertificate(server: Server, tls: TlsFiles): void {
  (server as unknown as TlsServer).setSecureContext(secureContextOptions(tls));
}
