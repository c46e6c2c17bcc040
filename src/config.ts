// Typed configuration, read once from the environment. Nothing else reads process.env.
import path from 'node:path';

/** How a streamed import reads its records (import/record-stream.ts). */
export interface WorkerPolicy {
  /** Whether reading may move to a worker thread at all. */
  readonly enabled: boolean;
  /** Documents smaller than this are read on the calling thread. */
  readonly minBytes: number;
  /** The thread's old-generation heap limit, MB (default WORKER_HEAP_MB); a record larger than it holds kills the thread. */
  readonly maxHeapMb?: number;
}

/** The reading thread's default heap limit (CRM_IMPORT_WORKER_HEAP_MB). */
export const WORKER_HEAP_MB = 48;

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly dbFile: string;
  /** Where a streamed HTTP batch is copied while it is imported (read twice). */
  readonly spoolDir: string;
  /** When set, the WSDL advertises this base URL instead of the host a client asked on. */
  readonly publicUrl: string | undefined;
  /** Bodies over this many bytes are refused with PAYLOAD_TOO_LARGE before parsing. */
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  /**
   * How many processes serve (CRM_WORKERS): 1, the default, is this process
   * alone; more fork that many workers on the same port and database, which
   * take turns to write (cluster/primary.ts).
   */
  readonly workers: number;
  /**
   * Set (CRM_CLUSTER_ROLE=worker) in the workers crm-bridge's own primary
   * forks, and only there: a process that is a cluster worker of something
   * else (PM2 in cluster mode) must not wait for write turns no one grants.
   */
  readonly clusterWorker: boolean;
  /**
   * Whether a streamed import reads its records (scan, parse, validate, map)
   * in a worker thread while the main thread stores them, and from what
   * document size. Off by default: a 1M-customer POST /xml/batches measured
   * 5,297/s with it and 3,441/s without, but peaked at 187-194 MiB against
   * 160 MiB, and 194 MiB is over the 200 MB the service promises.
   */
  readonly importWorkers: WorkerPolicy;
  /**
   * The most one record of a streamed batch may hold, in characters
   * (CRM_MAX_RECORD_BYTES; a character is at least one byte): a larger one,
   * or a record left open, refuses the batch with PAYLOAD_TOO_LARGE before it
   * fills memory. A customer the XSD accepts holds some 50,000 characters.
   */
  readonly maxRecordChars: number;
  /** The shape every channel's documents may have, whatever their size (xml/shape-limits.ts); beyond it, PAYLOAD_TOO_LARGE. */
  readonly documentLimits: DocumentLimits;
  /** What the HTTP edge allows a client before and while its request is read (transport/admission.ts, transport/slow-client.ts). */
  readonly http: HttpLimits;
  /** The watched drop folder (inbox/, outbox/, archive/, error/), or undefined when switched off. */
  readonly exchangeDir: string | undefined;
  readonly exchangePollMs: number;
  /** A dropped file must keep its size and mtime this long before it is taken. */
  readonly exchangeStableMs: number;
  /** The users and their roles (CRM_USERS_FILE); managed with `crm-bridge users`. */
  readonly usersFile: string;
  /** The key digest users' passwords are sealed with (CRM_USERS_KEY_FILE), apart from the users file. */
  readonly usersKeyFile: string;
  /** Whether WS-Security PasswordDigest is accepted and digest secrets are kept (CRM_WSSE_DIGEST, on by default). */
  readonly wsseDigest: boolean;
  /** OAuth 2.0 bearer tokens (CRM_JWT_JWKS with CRM_JWT_ISSUER and CRM_JWT_AUDIENCE), or undefined when off. */
  readonly jwt: JwtConfig | undefined;
  /**
   * CRM_AUTH=off: the operator's word that listening off loopback with no
   * auth configured is meant (a warning at every start); without it that
   * start is refused. It never turns off auth that is configured.
   */
  readonly authOff: boolean;
  /** CRM_METRICS_AUTH=on: /metrics needs a reader like any GET (off by default, for scrapers). */
  readonly metricsAuth: boolean;
  /** CRM_TLS_CERT and CRM_TLS_KEY: serve HTTPS with this PEM certificate (chain) and key; undefined serves plain HTTP. */
  readonly tls: TlsFiles | undefined;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface DocumentLimits {
  /** CRM_MAX_DEPTH: elements open at once, the root being 1. */
  readonly maxDepth: number;
  /** CRM_MAX_ATTRIBUTES: attributes of one start tag, namespace declarations included. */
  readonly maxAttributes: number;
  /** CRM_MAX_TEXT_CHARS: characters of one text, CDATA section, comment or attribute value, as written. */
  readonly maxTextChars: number;
}

export interface HttpLimits {
  /** CRM_MAX_IN_FLIGHT: requests served at once (/health and /metrics aside); beyond, UNAVAILABLE at once. */
  readonly maxInFlight: number;
  /** CRM_HEADERS_TIMEOUT_MS: a request's headers must be complete this long after its first byte. */
  readonly headersTimeoutMs: number;
  /** CRM_REQUEST_TIMEOUT_MS: a body must be complete this long after the headers (streamed batches aside; 0: no bound). */
  readonly requestTimeoutMs: number;
  /** CRM_MIN_BODY_RATE: bytes a second a body must keep arriving at, averaged over bodyRateWindowMs (0: no bound). */
  readonly minBodyRate: number;
  /** CRM_BODY_RATE_WINDOW_MS: the window minBodyRate is averaged over. */
  readonly bodyRateWindowMs: number;
}

export interface JwtConfig {
  /** A JWKS file (resolved against the working folder) or an https:// URL. */
  readonly jwks: string;
  readonly issuer: string;
  readonly audience: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got '${raw}'`);
  return raw === 'on';
}

function jwtFrom(env: Env): JwtConfig | undefined {
  const jwks = env['CRM_JWT_JWKS'];
  if (jwks === undefined || jwks === '') return undefined;
  const issuer = env['CRM_JWT_ISSUER'];
  const audience = env['CRM_JWT_AUDIENCE'];
  if (!issuer || !audience) throw new Error('CRM_JWT_JWKS needs CRM_JWT_ISSUER and CRM_JWT_AUDIENCE (the iss and aud every token must carry)');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(jwks) && !/^https:\/\//i.test(jwks)) {
    throw new Error(`CRM_JWT_JWKS must be a file or an https:// URL, got '${jwks}'`);
  }
  return { jwks: /^https:\/\//i.test(jwks) ? jwks : path.resolve(jwks), issuer, audience };
}

function tlsFrom(env: Env): TlsFiles | undefined {
  const cert = env['CRM_TLS_CERT'] || undefined;
  const key = env['CRM_TLS_KEY'] || undefined;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new Error('CRM_TLS_CERT and CRM_TLS_KEY go together: set both (PEM certificate and its private key) or neither');
  return { certFile: path.resolve(cert), keyFile: path.resolve(key) };
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env['CRM_DATA_DIR'] ?? './data');
  const publicUrl = env['CRM_PUBLIC_URL'];
  if (publicUrl !== undefined && publicUrl !== '' && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new Error(`CRM_PUBLIC_URL must be an http(s) URL, got '${publicUrl}'`);
  }
  return {
    host: env['CRM_HOST'] ?? '127.0.0.1',
    port: intFrom(env, 'CRM_PORT', 8080, 0, 65535),
    dataDir,
    dbFile: path.resolve(dataDir, env['CRM_DB_FILE'] ?? 'crm.db'),
    spoolDir: path.join(dataDir, 'spool'),
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, '') : undefined,
    maxBodyBytes: intFrom(env, 'CRM_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel: env['CRM_LOG_LEVEL'] ?? 'info',
    workers: intFrom(env, 'CRM_WORKERS', 1, 1, 64),
    clusterWorker: env['CRM_CLUSTER_ROLE'] === 'worker',
    importWorkers: {
      enabled: intFrom(env, 'CRM_IMPORT_WORKERS', 1, 0, 1) === 1,
      minBytes: intFrom(env, 'CRM_IMPORT_WORKER_MIN_BYTES', 4 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER),
      maxHeapMb: intFrom(env, 'CRM_IMPORT_WORKER_HEAP_MB', WORKER_HEAP_MB, 1, 65536),
    },
    maxRecordChars: intFrom(env, 'CRM_MAX_RECORD_BYTES', 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    documentLimits: {
      maxDepth: intFrom(env, 'CRM_MAX_DEPTH', 64, 8, 256),
      maxAttributes: intFrom(env, 'CRM_MAX_ATTRIBUTES', 64, 8, 100_000),
      maxTextChars: intFrom(env, 'CRM_MAX_TEXT_CHARS', 64 * 1024, 1024, 10_000_000),
    },
    http: {
      maxInFlight: intFrom(env, 'CRM_MAX_IN_FLIGHT', 256, 1, 100_000),
      headersTimeoutMs: intFrom(env, 'CRM_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: intFrom(env, 'CRM_REQUEST_TIMEOUT_MS', 60_000, 0, 3_600_000),
      minBodyRate: intFrom(env, 'CRM_MIN_BODY_RATE', 1024, 0, 1024 * 1024 * 1024),
      bodyRateWindowMs: intFrom(env, 'CRM_BODY_RATE_WINDOW_MS', 10_000, 100, 600_000),
    },
    exchangeDir: env['CRM_EXCHANGE'] === 'off' ? undefined : path.resolve(dataDir, env['CRM_EXCHANGE_DIR'] ?? 'exchange'),
    exchangePollMs: intFrom(env, 'CRM_EXCHANGE_POLL_MS', 2000, 50, 3_600_000),
    exchangeStableMs: intFrom(env, 'CRM_EXCHANGE_STABLE_MS', 2000, 0, 3_600_000),
    usersFile: path.resolve(dataDir, env['CRM_USERS_FILE'] || 'users.json'),
    usersKeyFile: path.resolve(dataDir, env['CRM_USERS_KEY_FILE'] || 'users.key'),
    wsseDigest: onOff(env, 'CRM_WSSE_DIGEST', true),
    jwt: jwtFrom(env),
    authOff: !onOff(env, 'CRM_AUTH', true),
    metricsAuth: onOff(env, 'CRM_METRICS_AUTH', false),
    tls: tlsFrom(env),
  };
}
