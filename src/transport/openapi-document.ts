// GET /openapi.json: the OpenAPI 3.1 document of /api, generated at start-up
// from the same contract as the WSDL: the schemas are those the XSD derives
// (contract/json-schema.ts, the very ones /api validates with), the paths
// those of the route table (api-routes.ts) the router serves, the query
// parameters typed by the XSD element they stand for (SearchCustomers).
// Nothing in it is written beside the XSD by hand but the examples and the
// shapes the contract gives JSON alone (the search answer, the error body).
import { deriveJsonSchemas, JSON_SCHEMA_DIALECT, type JsonSchema } from '../contract/json-schema.js';
import type { XsdModel } from '../contract/xsd-model.js';
import type { FaultCode } from '../errors.js';
import { API_ROUTES, type ApiRoute, type ErrorStatus } from './api-routes.js';
import { API_PREFIX } from './json-endpoint.js';
import { requestAndAnswerForms } from './openapi-variants.js';
import {
  BATCH_ANSWER, BATCH_REQUEST, CUSTOMER_ANSWER, CUSTOMER_REQUEST, EXPORT_ANSWER, HISTORY_ANSWER, INVALID_ANSWER, INVALID_REQUEST, NOT_FOUND_ANSWER, REPLACE_ANSWER, REPLACE_REQUEST, SEARCH_ANSWER,
} from './openapi-examples.js';

const REF = '#/components/schemas/';
const ref = (name: string): JsonSchema => ({ $ref: `${REF}${name}` });

const FAULT_CODES: readonly FaultCode[] = [
  'MALFORMED_JSON', 'VALIDATION_FAILED', 'UNKNOWN_OPERATION', 'NOT_FOUND', 'DUPLICATE_EXTERNAL_ID', 'VERSION_CONFLICT',
  'UNAUTHORIZED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'UNAVAILABLE', 'INTERNAL',
];

const STATUS_TEXT: Readonly<Record<ErrorStatus, string>> = {
  400: 'MALFORMED_JSON, or VALIDATION_FAILED (each error with a JSON Pointer, or a parameter with `in`)',
  401: 'UNAUTHORIZED (with WWW-Authenticate), once authentication is configured',
  403: "FORBIDDEN: the caller's role may not do this",
  404: 'NOT_FOUND',
  409: 'VERSION_CONFLICT (a stale body version) or DUPLICATE_EXTERNAL_ID',
  412: 'VERSION_CONFLICT: If-Match is not the current version',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: send application/json (or application/*+json), UTF-8',
  503: 'UNAVAILABLE (with Retry-After)',
};

/** The answer schemas JSON alone gives a shape (contract v1.1, JSON details); `customer`: the answer form of Customer (openapi-variants.ts). */
function jsonShapes(customer: JsonSchema): Record<string, JsonSchema> {
  return {
    CustomerAnswer: {
      description: 'A stored customer: absent optional members are left out (never null); addresses and contacts are always there.',
      ...customer,
      required: ['id', 'type', 'name', 'status', 'addresses', 'contacts', 'version', 'createdAt', 'updatedAt'],
    },
    Export: {
      description: 'Every customer, as the batch POST /api/batches takes back: a batch without batchId (the export sets no mode).',
      type: 'object',
      properties: { mode: ref('BatchMode'), customers: { type: 'array', items: ref('CustomerAnswer') } },
      required: ['customers'],
      additionalProperties: false,
    },
    SearchAnswer: {
      type: 'object',
      properties: { total: { type: 'integer', minimum: 0 }, offset: { type: 'integer', minimum: 0 }, customers: { type: 'array', items: ref('CustomerAnswer') } },
      required: ['total', 'offset', 'customers'],
      additionalProperties: false,
    },
    History: {
      type: 'object',
      properties: { changes: { type: 'array', items: ref('CustomerChange') } },
      required: ['changes'],
      additionalProperties: false,
    },
    Error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: FAULT_CODES },
        message: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string', description: 'A JSON Pointer into the body, or the name of a parameter when `in` is set' },
              in: { type: 'string', enum: ['query', 'path'] },
              message: { type: 'string' },
              line: { type: 'integer' },
              column: { type: 'integer' },
            },
            required: ['path', 'message'],
          },
        },
      },
      required: ['code', 'message', 'errors'],
      additionalProperties: false,
    },
  };
}

const ANSWER_SCHEMA = { Customer: 'CustomerAnswer', SearchAnswer: 'SearchAnswer', History: 'History', BatchReport: 'BatchReport', Export: 'Export' } as const;

/**
 * The batch types as the XSD derives them, with what JSON adds to a record's
 * error (contract v1.1): `errors`, each a JSON Pointer relative to the record
 * and its message, always present (empty but for a record of a JSON batch
 * that breaks a rule).
 */
function batchSchemas(model: XsdModel): Record<string, JsonSchema> {
  const defs = deriveJsonSchemas(model, ['CustomerBatch', 'BatchReport'], REF);
  const error = defs['RecordError'] as { properties: Record<string, JsonSchema>; required?: string[] } | undefined;
  if (error === undefined) throw new Error('customer.xsd: BatchReport has no RecordError');
  defs['RecordError'] = {
    ...error,
    properties: {
      ...error.properties,
      errors: {
        type: 'array',
        items: { type: 'object', properties: { path: { type: 'string', description: 'A JSON Pointer relative to the record' }, message: { type: 'string' } }, required: ['path', 'message'], additionalProperties: false },
      },
    },
    required: [...(error.required ?? []), 'errors'],
  };
  return defs;
}

function json(schema: JsonSchema, examples?: Record<string, unknown>): JsonSchema {
  return { 'application/json': { schema, ...(examples === undefined ? {} : { examples: Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, { value: v }])) }) } };
}

function requestExample(route: ApiRoute): Record<string, unknown> | undefined {
  if (route.operation === 'ImportBatch') return { batch: BATCH_REQUEST };
  if (route.method === 'post') return { customer: CUSTOMER_REQUEST, invalid: INVALID_REQUEST };
  if (route.method === 'put') return { replace: REPLACE_REQUEST };
  return undefined;
}

function successExample(route: ApiRoute): unknown {
  switch (route.operation) {
    case 'CreateCustomer': return CUSTOMER_ANSWER;
    case 'GetCustomer': return CUSTOMER_ANSWER;
    case 'UpdateCustomer': return REPLACE_ANSWER;
    case 'SearchCustomers': return SEARCH_ANSWER;
    case 'GetCustomerHistory': return HISTORY_ANSWER;
    case 'ImportBatch': return BATCH_ANSWER;
    case 'Export': return EXPORT_ANSWER;
    default: return undefined;
  }
}

function errorExample(route: ApiRoute, status: ErrorStatus): Record<string, unknown> | undefined {
  if (status === 400 && route.operation === 'CreateCustomer') return { invalid: INVALID_ANSWER };
  if (status === 404 && route.path.includes('{id}')) return { notFound: NOT_FOUND_ANSWER };
  return undefined;
}

function operationOf(route: ApiRoute, model: XsdModel): JsonSchema {
  const parameters: JsonSchema[] = [];
  if (route.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, schema: ref('CustomerId'), example: CUSTOMER_ANSWER.id });
  if (route.query !== undefined) {
    const element = model.complexTypes.get(route.query.element);
    for (const name of route.query.names) {
      const member = element?.members.find((m) => m.name === name);
      if (member === undefined) throw new Error(`${route.query.element} has no member ${name}`);
      const schema = member.type.builtin ? { type: 'string', format: 'date-time' } : ref(member.type.name);
      parameters.push({ name, in: 'query', required: false, schema, ...(name === 'limit' ? { example: 10 } : {}) });
    }
  }
  if (route.conditional === 'if-match') parameters.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag ("<version>") the change must apply to; 412 otherwise' });
  if (route.conditional === 'if-none-match') parameters.push({ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: '304 when it names the current ETag' });
  const responses: Record<string, JsonSchema> = {};
  const { status, schema } = route.success;
  const example = successExample(route);
  responses[String(status)] = {
    description: status === 201 ? 'Created (Location, ETag)' : status === 204 ? 'No Content' : 'OK',
    ...(schema === undefined ? {} : { content: json(ref(ANSWER_SCHEMA[schema]), example === undefined ? undefined : { example }) }),
  };
  if (route.conditional === 'if-none-match') responses['304'] = { description: 'Not Modified' };
  for (const e of route.errors) responses[String(e)] = { description: STATUS_TEXT[e], content: json(ref('Error'), errorExample(route, e)) };
  const body = requestExample(route);
  return {
    operationId: route.operation,
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined ? {} : { requestBody: { required: true, content: json(ref(route.body), body) } }),
    responses,
  };
}

export function openApiDocument(model: XsdModel, routes: readonly ApiRoute[] = API_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `${API_PREFIX}${route.path}`;
    paths[path] = { ...paths[path], [route.method]: operationOf(route, model) };
  }
  const queryTypes = routes.flatMap((r) => {
    const element = r.query === undefined ? undefined : model.complexTypes.get(r.query.element);
    return (element?.members ?? []).filter((m) => !m.type.builtin).map((m) => m.type.name);
  });
  // Requests take null for an optional member, answers never carry it (openapi-variants.ts).
  const derived = { ...deriveJsonSchemas(model, ['Customer', 'CustomerChange', 'CustomerId', 'BatchMode', ...queryTypes], REF), ...batchSchemas(model) };
  const forms = requestAndAnswerForms(derived, ['Customer'], REF, ['CustomerBatch']);
  return {
    openapi: '3.1.0',
    info: {
      title: 'crm-bridge JSON over HTTP (/api)',
      version: '1.1',
      description: 'The JSON twin of the /xml resources. Every schema is derived from xsd/customer.xsd, the contract the WSDL carries: the same lengths, patterns, enumerations and item counts. In requests null means absent, [] equals absent, unknown and repeated members are refused.',
    },
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    paths,
    components: {
      schemas: { ...forms, ...jsonShapes(forms['CustomerAnswer'] ?? {}) },
      securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    // Open until authentication is configured (contract v1.1); then Basic or Bearer.
    security: [{}, { basic: [] }, { bearer: [] }],
  };
}
