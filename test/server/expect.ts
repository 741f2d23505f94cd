import { expect } from 'vitest';

export interface ErrorJson {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/**
 * Asserts the contract's error shape (API.md §1) exactly: the status, `{error:{code,message}}`
 * with nothing else, `fields` only when named, and no stack trace anywhere in the body.
 */
export async function expectError(response: Response, status: number, code: string, fields?: string[]): Promise<ErrorJson> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error: ErrorJson };
  expect(Object.keys(body)).toEqual(['error']);
  // `email_not_verified` names the open sign-up the password belongs to (API.md §2).
  const extra = code === 'email_not_verified' ? ['attempt'] : [];
  expect(Object.keys(body.error).sort()).toEqual([...extra, ...(fields ? ['code', 'fields', 'message'] : ['code', 'message'])].sort());
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/^[A-Z].*\.$/);
  if (fields) {
    expect(Object.keys(body.error.fields!).sort()).toEqual([...fields].sort());
    for (const sentence of Object.values(body.error.fields!)) expect(sentence).toMatch(/\S/);
  }
  expect(text).not.toMatch(/\bat .*\.[cm]?[jt]s:\d+|node_modules|Error:/);
  return body.error;
}

/** The `perso_session` Set-Cookie line of a response, if it sets one. */
export const sessionSetCookie = (response: Response): string | undefined =>
  response.headers.getSetCookie().find((line) => line.startsWith('perso_session='));

/** `perso_session=value` from a response, ready for a Cookie header. */
export function sessionCookie(response: Response): string {
  const line = sessionSetCookie(response);
  if (!line) throw new Error(`no session cookie in the ${response.status} answer`);
  return line.split(';')[0]!;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
