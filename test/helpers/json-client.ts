// Raw HTTP for the /api resources: the answer's JSON parsed, error bodies in
// the contract's shape checked on every call.
import { expect } from 'chai';

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown> | undefined;
}

export async function call(url: string, method: string, body?: string | object, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(parsed).to.have.all.keys('code', 'message', 'errors');
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export interface JsonError {
  readonly path: string;
  readonly in?: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The answer is the fault `code` with `status`; its errors. */
export function expectError(answer: JsonAnswer, status: number, code: string): JsonError[] {
  // A whole batch report where an error was expected would bury the failure: its start says enough.
  const shown = answer.text.length > 2000 ? `${answer.text.slice(0, 2000)}… (${answer.text.length} characters)` : answer.text;
  expect(answer.status, shown).to.equal(status);
  expect(answer.body?.['code'], shown).to.equal(code);
  return answer.body?.['errors'] as JsonError[];
}
