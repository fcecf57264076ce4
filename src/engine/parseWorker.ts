/** A parse-pool thread: turns search response bodies into validated, normalized issues. */
import { parentPort } from 'node:worker_threads';
import type { ErrorCategory } from '../shared/model.ts';
import { toSyncError } from './errors.ts';
import { parseSearchPage, type ParsedPage } from './parsePage.ts';

export type ParseRequest = { id: number; text: string };
export type ParseResponse =
  | { id: number; ok: true; page: ParsedPage }
  | { id: number; ok: false; error: { category: ErrorCategory; message: string; retryable: boolean } };

const port = parentPort;
if (!port) throw new Error('the parse worker must run in a worker thread');
port.on('message', ({ id, text }: ParseRequest) => {
  try {
    port.postMessage({ id, ok: true, page: parseSearchPage(text) } satisfies ParseResponse);
  } catch (error) {
    const failure = toSyncError(error);
    port.postMessage({
      id,
      ok: false,
      error: { category: failure.category, message: failure.message, retryable: failure.retryable },
    } satisfies ParseResponse);
  }
});
