// Composition root: the one place that chooses the store engine and wires it
// with the validator, the dispatcher and its stages, auth, the drop folder and
// the transports, for each way the process runs: serving (openService), the
// command line (openCommandLine), the drop folder alone (openDropFolderAlone).
// serve.ts and main.ts only run what is built here. The HTTP request
// listener: SOAP POSTs served on node:http directly
// (transport/soap-listener.ts), everything else by express.
import type { RequestListener } from 'node:http';
import express, { type Request, type Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { DropFolder, type DropFolderOptions, type LocalDropFolder } from './drop-folder/drop-folder.js';
import { readExchangeStatus } from './drop-folder/drop-folder-status.js';
import type { Config, DocumentLimits } from './config.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import type { Stage } from './dispatch/stage.js';
import { AuthStage, NO_NETWORK_AUTH, type CallerVerifier } from './dispatch/auth-stage.js';
import { EXCHANGE_STATUS, METRICS } from './dispatch/operation-access.js';
import { Authenticator } from './auth/authenticator.js';
import type { NonceLedger } from './store/nonce-ledger.js';
import { authChallenge } from './transport/http-status.js';
import { exchangeStatusDocument } from './mapping/drop-folder-xml.js';
import type { OperationDeps } from './operations/operation-deps.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import type { Store } from './store/store.js';
import { methodNotAllowed, requestIdOf, routerError } from './transport/express-adapter.js';
import { sendReply } from './transport/node-exchange.js';
import { publicBaseUrl } from './transport/public-base-url.js';
import { SoapEndpoint } from './transport/soap-endpoint.js';
import { refusalRenderer, soapExchange, soapFastPath } from './transport/soap-listener.js';
import { Admission } from './transport/admission.js';
import { watchBodies } from './transport/slow-client.js';
import { assignRequestId } from './transport/request-id.js';
import { SOAP_PATH, WsdlDocuments } from './transport/wsdl-documents.js';
import { xmlError } from './transport/xml-error.js';
import { XmlEndpoint } from './transport/xml-endpoint.js';
import { JsonEndpoint } from './transport/json-endpoint.js';
import { jsonRouter } from './transport/json-router.js';
import { openApiDocument } from './transport/openapi-document.js';
import { apiPage, API_PAGE_CSP } from './transport/api-page.js';
import { jsonError } from './transport/json-error.js';
import { contractModel } from './validation/json-validator.js';
import { xmlRouter } from './transport/xml-router.js';
import { XsdValidator } from './validation/xsd-validator.js';
import { NotFoundError } from './errors.js';
import { openDatabase } from './store/sqlite/open-database.js';
import { SqliteNonceLedger } from './store/sqlite/sqlite-nonce-ledger.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { WriteLock } from './store/sqlite/write-lock.js';
import { writeTransaction } from './store/sqlite/write-transaction.js';

export interface AppParts {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  /** The drop folder this process runs (serve), for what only it knows: whether it polls, how far it has read. */
  readonly dropFolder?: LocalDropFolder;
  /** The registry /metrics answers from (created here when not given). */
  readonly metrics?: Metrics;
  /** What /metrics answers, given the drop folder's figures are set: by default this process's registry; every worker's in a cluster. */
  readonly scrape?: () => Promise<string>;
  /** Who may call the network channels (openAuth); without it, auth is off. */
  readonly auth?: Authenticator;
  /** The pipeline of every channel (by default createDispatcher's with `auth`; a test gives one with stages of its own). */
  readonly dispatcher?: Dispatcher;
  /** The in-flight cap and shutdown gate (serve.ts closes it on SIGTERM); one of CRM_MAX_IN_FLIGHT when not given. */
  readonly admission?: Admission;
}

/** What the operations need besides the store: the clock and new ids, for serving and for the CLI alike. */
export function operationDeps(store: Store): OperationDeps {
  // Time-ordered ids (UUIDv7): new customers land at the end of every id-keyed
  // index instead of at random pages, which cut the pages a batch rewrites.
  return { store, now: () => new Date().toISOString(), newId: () => uuidv7() };
}

/** Settings of a drop folder that tests change; the service runs with the defaults. */
export type DropFolderTuning = Pick<DropFolderOptions, 'chunkSize' | 'afterChunk'>;

/**
 * The stages every request of every channel passes, in order, after its
 * operation is known and before it is validated (dispatch/stage.ts):
 * authentication and authorisation (one stage: the caller, then what its
 * role may call). The audit is no stage: who a request runs for reaches
 * its operation with the request (Dispatcher's RequestDeps.by), so that each
 * history line is written in its change's transaction. `verifier`: the network
 * channels' authentication; a process without them (the command line) needs
 * none, its local channels are trusted.
 */
export function stages(verifier: CallerVerifier = NO_NETWORK_AUTH, log: Pick<Logger, 'warn'> = { warn: () => undefined }): readonly Stage[] {
  return [new AuthStage(verifier, log)];
}

/** The one dispatcher of a process's channels: HTTP, the drop folder and the command line; `limits`: the configuration's documentLimits. */
export function createDispatcher(store: Store, list: readonly Stage[] = stages(), limits?: DocumentLimits): Dispatcher {
  return new Dispatcher(new XsdValidator(), operationDeps(store), list, limits);
}

/** The users, keys and token issuer of the configuration, read once (a bad users file refuses the start); start() its users-file poll. */
export function openAuth(config: Config, nonces: NonceLedger, log: Logger): Promise<Authenticator> {
  return Authenticator.open(
    { usersFile: config.usersFile, usersKeyFile: config.usersKeyFile, wsseDigest: config.wsseDigest, jwt: config.jwt },
    nonces,
    log,
  );
}

/** The drop folder on `dir`, importing through the same dispatcher as POST /xml/batches (same validator, readers and store). */
export function createDropFolder(config: Config, dir: string, store: Store, log: Logger, tuning: DropFolderTuning = {}, dispatcher = createDispatcher(store, stages(), config.documentLimits)): DropFolder {
  return new DropFolder({
    root: dir,
    deps: operationDeps(store),
    dispatcher,
    workers: config.importWorkers,
    maxRecordChars: config.maxRecordChars,
    log,
    stableMs: config.exchangeStableMs,
    ...tuning,
  });
}

export function createApp({ config, store, log, dropFolder, metrics = new Metrics(), scrape, auth, dispatcher, admission = new Admission(config.http.maxInFlight) }: AppParts): RequestListener {
  store.onCommit?.((writes) => metrics.writesPerCommit.observe(writes));
  const verifier: CallerVerifier = auth ?? NO_NETWORK_AUTH;
  const pipeline = dispatcher ?? createDispatcher(store, stages(verifier, log), config.documentLimits);
  const challenge = authChallenge(auth?.bearer ?? false);
  const soapEndpoint = new SoapEndpoint(pipeline, config.maxBodyBytes, log, verifier);
  const soap = soapExchange(soapEndpoint, metrics, log);
  const xml = new XmlEndpoint(pipeline, { maxBodyBytes: config.maxBodyBytes, spoolDir: config.spoolDir, importWorkers: config.importWorkers, maxRecordChars: config.maxRecordChars, authChallenge: challenge }, log);
  const json = new JsonEndpoint(pipeline, { maxBodyBytes: config.maxBodyBytes, spoolDir: config.spoolDir, maxRecordChars: config.maxRecordChars, authChallenge: challenge }, log);
  // The operator GETs that are not operations pass the same stage as the /xml GETs: a reader's.
  const gate = new AuthStage(verifier, log);
  const admitted = (operation: string): express.RequestHandler => (req, res, next) => {
    const context = { channel: 'xml' as const, requestId: requestIdOf(res), credentials: { authorization: req.headers.authorization } };
    gate.admit(context, operation).then(() => next(), (err: unknown) => {
      void sendReply(res, xmlError(err, requestIdOf(res), log, challenge));
    });
  };
  const documents = new WsdlDocuments();
  const fallbackHost = `${config.host}:${config.port}`;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    res.locals['requestId'] = assignRequestId(req, res);
    next();
  });

  app.get('/health', async (_req, res) => {
    await store.ping();
    res.json({ status: 'ok' });
  });
  app.all('/health', methodNotAllowed('GET', log));

  const exchangeStatus = () => readExchangeStatus({ root: config.exchangeDir, store, local: dropFolder });
  // It shows the folder's paths and the hosts working on it (issue 17, item 5): a reader's, like any GET.
  app.get('/exchange', admitted(EXCHANGE_STATUS), async (_req, res) => {
    res.type('application/xml; charset=utf-8').send(exchangeStatusDocument(await exchangeStatus()));
  });
  app.all('/exchange', methodNotAllowed('GET', log));

  // Open for scrapers by default (contract); CRM_METRICS_AUTH=on makes it a reader's.
  const metricsGate: express.RequestHandler[] = config.metricsAuth ? [admitted(METRICS)] : [];
  app.get('/metrics', ...metricsGate, async (_req, res) => {
    try {
      metrics.exchange.observe(await exchangeStatus());
    } catch (err) {
      // The rest of the metrics still matter when the folder cannot be read (a network share gone away).
      log.warn({ err }, 'metrics: cannot read the drop folder status');
      metrics.exchange.observe(undefined);
    }
    res.type(metrics.registry.contentType).send(await (scrape ?? (() => metrics.registry.metrics()))());
  });
  app.all('/metrics', methodNotAllowed('GET', log));

  app.get(SOAP_PATH, (req, res) => {
    if ('wsdl' in req.query || 'WSDL' in req.query) {
      res.type('text/xml; charset=utf-8').send(documents.wsdl(publicBaseUrl(req.headers, config.publicUrl, fallbackHost, 'encrypted' in req.socket && req.socket.encrypted === true)));
      return;
    }
    const name = typeof req.query['xsd'] === 'string' ? req.query['xsd'] : undefined;
    const schema = name === undefined ? undefined : documents.schema(name);
    if (schema !== undefined) {
      res.type('text/xml; charset=utf-8').send(schema);
      return;
    }
    void sendReply(res, xmlError(new NotFoundError(`Ask ${SOAP_PATH}?wsdl for the WSDL, or ?xsd=customer.xsd for its schema`), requestIdOf(res), log));
  });

  // The exact path never gets here (soapFastPath); its case and trailing-slash variants do.
  app.post(SOAP_PATH, (req, res) => soap(req, res, requestIdOf(res)));
  app.all(SOAP_PATH, methodNotAllowed('GET, POST', log));

  app.use('/xml', xmlRouter(xml, metrics, log));
  // Generated once, from the XSD and the /api route table; open like the WSDL.
  const openapiDocument = openApiDocument(contractModel());
  const openapi = JSON.stringify(openapiDocument);
  // The same document as a page to read (before the /api router, which would answer it 404).
  const page = apiPage(openapiDocument);
  app.get('/api/docs', (_req, res) => {
    res.type('text/html; charset=utf-8').set('content-security-policy', API_PAGE_CSP).send(page);
  });
  app.all('/api/docs', methodNotAllowed('GET', log, jsonError));
  app.use('/api', jsonRouter(json, metrics, log));

  app.get('/openapi.json', (_req, res) => {
    res.type('application/json; charset=utf-8').send(openapi);
  });
  app.all('/openapi.json', methodNotAllowed('GET', log));

  app.use((req, res) => {
    void sendReply(res, xmlError(new NotFoundError(`No resource at ${req.method} ${req.path}`), requestIdOf(res), log));
  });

  // express's last resort: anything thrown outside the pipelines above.
  app.use((err: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    void sendReply(res, xmlError(routerError(req, err), requestIdOf(res), log));
  });

  const bodiesWatched = watchBodies(soapFastPath(soap, app), config.http, (req, why) => log.warn({ url: req.url, why }, 'slow client cut off'));
  return admission.guard(bodiesWatched, refusalRenderer(soapEndpoint, log));
}

/** The configured store engine and, in the same database, the nonce ledger (SQLite: the only engine today). */
export interface OpenedStore {
  readonly store: SqliteStore;
  readonly nonces: NonceLedger;
  /** The raw handle, for tests that must break it. */
  readonly db: ReturnType<typeof openDatabase>;
}

/**
 * Opens (and migrates) the configured store. `lock`: the write turns of a
 * cluster's workers; nonces are claimed through it too, so a replay is
 * refused by every worker and after a restart.
 */
export function openStore(config: Config, lock?: WriteLock): OpenedStore {
  const db = openDatabase(config.dbFile);
  return { store: new SqliteStore(db, lock), nonces: new SqliteNonceLedger(db, writeTransaction(db, lock)), db };
}

/** Migrates the store and closes it: a cluster's primary does this once before forking, so two workers never migrate at once. */
export function prepareStore(config: Config): void {
  openDatabase(config.dbFile).close();
}

export interface ServiceOptions {
  /** A cluster worker's write turns (serve.ts). */
  readonly lock?: WriteLock;
  readonly metrics?: Metrics;
  /** What /metrics answers (every worker's in a cluster). */
  readonly scrape?: () => Promise<string>;
  /** Stages instead of the configured ones (tests that count or hold requests). */
  readonly stages?: readonly Stage[];
  /** The drop folder's tuning (tests); it runs when CRM_EXCHANGE is not off. */
  readonly dropFolder?: DropFolderTuning;
  /** Whether the drop folder is built at all (tests ask for it; serving follows CRM_EXCHANGE). */
  readonly withDropFolder?: boolean;
  /** The in-flight cap and shutdown gate, when its owner closes it at shutdown (serve.ts); else one of the listener's own. */
  readonly admission?: Admission;
}

/** Everything one serving process runs, wired: its HTTP listener, and what its owner starts and stops. */
export interface Service extends OpenedStore {
  readonly listener: RequestListener;
  readonly auth: Authenticator;
  readonly dropFolder: DropFolder | undefined;
  /** Stops the users-file poll and closes the store (the owner first stops HTTP and the drop folder's polls). */
  close(): Promise<void>;
}

/** The store, auth (its users-file poll started), the drop folder and the HTTP listener of one serving process. */
export async function openService(config: Config, log: Logger, options: ServiceOptions = {}): Promise<Service> {
  const opened = openStore(config, options.lock);
  const { store } = opened;
  try {
    const auth = await openAuth(config, opened.nonces, log);
    auth.start();
    const dispatcher = options.stages === undefined ? undefined : createDispatcher(store, options.stages, config.documentLimits);
    const dropFolder = config.exchangeDir === undefined || options.withDropFolder === false
      ? undefined
      : createDropFolder(config, config.exchangeDir, store, log, options.dropFolder, dispatcher);
    const listener = createApp({ config, store, log, dropFolder, metrics: options.metrics, scrape: options.scrape, auth, dispatcher, admission: options.admission });
    return {
      ...opened,
      listener,
      auth,
      dropFolder,
      async close() {
        auth.stop();
        if (opened.db.open) await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** What a command of the command line runs with: the dispatcher over the configured store (local channels are trusted). */
export interface CommandLine {
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

export function openCommandLine(config: Config): CommandLine {
  const { store } = openStore(config);
  return { dispatcher: createDispatcher(store, undefined, config.documentLimits), close: () => store.close() };
}

/** The drop folder alone over the configured store (`crm-bridge watch`): no HTTP. */
export function openDropFolderAlone(config: Config, log: Logger): { readonly dropFolder: DropFolder; close(): Promise<void> } {
  const { store } = openStore(config);
  const dropFolder = createDropFolder(config, config.exchangeDir ?? `${config.dataDir}/exchange`, store, log);
  return { dropFolder, close: () => store.close() };
}
