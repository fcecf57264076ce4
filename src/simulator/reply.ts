/** What a route answers, and the few helpers every route answers and reads its parameters with, as Jira does. */
import type { Buffer } from 'node:buffer';
import { SimError } from './model.ts';

export interface Reply {
  status: number;
  /** A search page built from prerendered issues is a list of byte chunks, written as they are. */
  body: string | Buffer[];
  headers?: Record<string, string | number>;
  contentType?: string;
  /** issues contained in a search page */
  issues?: number;
  page?: boolean;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function jiraError(status: number, ...messages: string[]): Reply {
  return { status, body: JSON.stringify({ errorMessages: messages, errors: {} }) };
}
export function json(value: unknown, status = 200): Reply {
  return { status, body: JSON.stringify(value) };
}

export function intParam(raw: unknown, name: string, def: number): number {
  if (raw === undefined || raw === null || raw === '') return def;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n)) throw new SimError(`The '${name}' parameter must be an integer.`, 400);
  return n;
}
