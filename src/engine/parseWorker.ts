/**
 * A parse-pool thread: turns search response bodies into validated, store-ready issues. The body's
 * buffer travels back with the result (the issues' raw copies are views into it), never copied.
 */
import { parentPort } from 'node:worker_threads';
import type { ErrorCategory } from '../shared/model.ts';
import { toSyncError } from './errors.ts';
import { parseSearchPage, type ParsedPage } from './parsePage.ts';

export type ParseRequest = { id: number; body: Uint8Array };
export type ParseResponse =
  | { id: number; ok: true; page: ParsedPage }
  | { id: number; ok: false; error: { category: ErrorCategory; message: string; retryable: boolean } };

const port = parentPort;
if (!port) throw new Error('the parse worker must run in a worker thread');
port.on('message', ({ id, body }: ParseRequest) => {
  try {
    port.postMessage({ id, ok: true, page: parseSearchPage(body) } satisfies ParseResponse, [body.buffer as ArrayBuffer]);
  } catch (error) {
    const failure = toSyncError(error);
    port.postMessage({
      id,
      ok: false,
      error: { category: failure.category, message: failure.message, retryable: failure.retryable },
    } satisfies ParseResponse);
  }
});
