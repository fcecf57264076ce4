/**
 * One Jira instance's HTTP client: authentication, per-request timeout, retries with exponential
 * backoff and jitter that never undercut `Retry-After`, and request accounting. The performance
 * settings are read on every request, so a change saved during a sync applies to its next request.
 * Bodies stay bytes: a search page is scanned as bytes (scanPage.ts), never decoded whole.
 */
import { Agent } from 'undici';
import { BodyBuffers, type Body } from './bodyBuffers.ts';
import type { PerformanceConfig } from '../shared/model.ts';
import { categoryForStatus, isRetryableStatus, redact, SyncError } from './errors.ts';

export interface Credentials {
  flavor: 'cloud' | 'datacenter';
  email: string | null;
  token: string;
}

/** Counters of one unit of work (a project); a fresh one per project per run. */
export class RequestStats {
  apiCalls = 0;
  retries = 0;
  rateLimited = 0;
  /** Time to each complete response (headers and body): the wait phase. */
  readonly latenciesMs: number[] = [];
  /** Engine time: parsing and validating responses, and writing pages. */
  parseMs = 0;
  writeMs = 0;
  /** Told of every retry as it is decided (before its wait), for live progress. */
  onRetry: (() => void) | null = null;

  get waitMs(): number {
    return this.latenciesMs.reduce((sum, ms) => sum + ms, 0);
  }

  percentile(p: number): number | null {
    if (this.latenciesMs.length === 0) return null;
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  searchParams?: Record<string, string | number>;
  json?: unknown;
  signal?: AbortSignal;
  stats: RequestStats;
  /**
   * Turns a 2xx body into the result (default: JSON.parse here); a retryable SyncError retries the
   * request. It owns the body: it must call `release` once nothing reads the bytes any more.
   */
  parse?: (body: Body) => Promise<unknown>;
}

const MAX_BACKOFF_MS = 60_000;

export interface JiraHttpOptions {
  baseUrl: string;
  credentials: Credentials;
  getConfig: () => PerformanceConfig;
  /** Called with each retry's reason and delay, for logs and live progress. */
  onRetry?: (info: { path: string; reason: string; delayMs: number }) => void;
  random?: () => number;
}

const decoder = new TextDecoder();

/** A response header's first value, whether undici gave a string or a list. */
type HeaderValues = Record<string, string | string[] | undefined>;
function header(headers: HeaderValues, name: string): string | null {
  const value = headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export class JiraHttp {
  readonly #options: JiraHttpOptions;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #authorization: string;
  readonly #secrets: string[];
  /** Kept-alive connections to this instance, sized by the config when the run starts. */
  readonly #pool: Agent;
  readonly #buffers: BodyBuffers;

  constructor(options: JiraHttpOptions) {
    this.#options = options;
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    const config = options.getConfig();
    // Blocking: at most pool-size connections, requests queue for one. Not blocking: no cap, extra
    // connections are opened as needed (and closed when idle).
    this.#pool = new Agent({ connections: config.connectionPoolBlock ? config.connectionPoolSize : null, keepAliveTimeout: 30_000 });
    this.#buffers = new BodyBuffers(config.maxWorkers + 2);
    const { credentials } = options;
    const basic = credentials.email ? Buffer.from(`${credentials.email}:${credentials.token}`).toString('base64') : null;
    this.#authorization = basic ? `Basic ${basic}` : `Bearer ${credentials.token}`;
    this.#secrets = [credentials.token, ...(basic ? [basic] : [])];
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Removes this instance's secrets from a message. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  async getJson<T>(path: string, options: RequestOptions): Promise<T> {
    const parse =
      options.parse ??
      ((body: Body) => {
        try {
          return Promise.resolve(this.#parse<T>(body.bytes, path, options.stats));
        } finally {
          body.release();
        }
      });
    const config = this.#options.getConfig;
    const query = options.searchParams
      ? `?${new URLSearchParams(Object.entries(options.searchParams).map(([k, v]) => [k, String(v)]))}`
      : '';
    const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
    const headers: Record<string, string> = { authorization: this.#authorization, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 0; ; attempt += 1) {
      let failure: SyncError;
      let waitAtLeastMs = 0;
      const started = performance.now();
      options.stats.apiCalls += 1;
      const timeout = AbortSignal.timeout(config().requestTimeout * 1000);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      try {
        const response = await this.#pool.request({
          origin: this.#origin,
          path: `${this.#basePath}${path}${query}`,
          method: options.method ?? 'GET',
          headers,
          body: payload,
          signal,
        });
        const responseHeaders = response.headers as HeaderValues;
        const body = await this.#readBody(response.body, Number(header(responseHeaders, 'content-length') ?? Number.NaN));
        options.stats.latenciesMs.push(performance.now() - started);
        if (response.statusCode >= 200 && response.statusCode < 300) return (await parse(body)) as T;
        failure = this.#httpFailure(response.statusCode, decoder.decode(body.bytes), path);
        body.release();
        waitAtLeastMs = retryAfterMs({ get: (name) => header(responseHeaders, name) });
        if (response.statusCode === 429) {
          options.stats.rateLimited += 1;
          // A long wait (an hourly quota, `jira-quota-*`) is reported rather than slept through silently.
          const maxWaitS = config().maxRateLimitWait;
          if (waitAtLeastMs > maxWaitS * 1000) {
            const reason = header(responseHeaders, 'RateLimit-Reason');
            const until = new Date(Date.now() + waitAtLeastMs).toISOString();
            throw new SyncError(
              'RateLimit',
              `Jira rate limit${reason ? ` (${reason})` : ''}: the server asks to wait until ${until}, longer than max_rate_limit_wait (${maxWaitS} s)`,
              { status: 429 },
            );
          }
        }
      } catch (error) {
        if (error instanceof SyncError && !error.retryable) throw error;
        if (options.signal?.aborted)
          throw options.signal.reason instanceof SyncError ? options.signal.reason : new SyncError('Cancelled', 'the sync was stopped');
        if (timeout.aborted) {
          failure = new SyncError('Timeout', `no response from ${path} within ${config().requestTimeout} s`, { retryable: true });
        } else {
          failure = error instanceof SyncError ? error : this.#transportFailure(error, path);
        }
      }
      if (!failure.retryable || attempt >= config().maxRetries) throw failure;
      const delayMs = Math.max(waitAtLeastMs, this.#backoffMs(attempt));
      options.stats.retries += 1;
      options.stats.onRetry?.();
      this.#options.onRetry?.({ path, reason: failure.message, delayMs });
      await sleep(delayMs, options.signal);
    }
  }

  /**
   * A response body, whole, in one buffer (the scanner reads it in one pass): a reused one when its
   * length is known, starting at a word boundary.
   */
  async #readBody(stream: AsyncIterable<Buffer>, length: number): Promise<Body> {
    if (!Number.isSafeInteger(length) || length < 0) {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return { bytes: Buffer.concat(chunks), release: () => {} };
    }
    const buffer = this.#buffers.acquire(length);
    let offset = 0;
    try {
      for await (const chunk of stream) {
        // A body longer than announced: the rest is cut off, and the scanner sees a malformed page.
        offset += chunk.copy(buffer, offset, 0, Math.min(chunk.length, buffer.length - offset));
      }
    } catch (error) {
      this.#buffers.release(buffer);
      throw error;
    }
    let released = false;
    return {
      bytes: buffer.subarray(0, Math.min(offset, length)),
      release: () => {
        if (released) return;
        released = true;
        this.#buffers.release(buffer);
      },
    };
  }

  #backoffMs(attempt: number): number {
    const random = this.#options.random ?? Math.random;
    const base = this.#options.getConfig().backoffFactor * 1000 * 2 ** attempt;
    return Math.min(MAX_BACKOFF_MS, base * (0.5 + random()));
  }

  #parse<T>(body: Uint8Array, path: string, stats: RequestStats): T {
    const started = performance.now();
    try {
      return JSON.parse(decoder.decode(body)) as T;
    } catch {
      throw new SyncError('Validation', `Jira sent a response that is not valid JSON for ${path} (${body.length} bytes)`, {
        retryable: true,
      });
    } finally {
      stats.parseMs += performance.now() - started;
    }
  }

  #httpFailure(status: number, body: string, path: string): SyncError {
    const detail = jiraErrorText(body);
    const message = this.redact(`HTTP ${status} from ${path}${detail ? `: ${detail}` : ''}`);
    return new SyncError(categoryForStatus(status), message, { status, retryable: isRetryableStatus(status) });
  }

  #transportFailure(error: unknown, path: string): SyncError {
    // The system error (ECONNREFUSED, ECONNRESET, …) may be wrapped in one or more causes; undici's
    // own codes (UND_ERR_SOCKET: the other side closed) say less, so a system code wins.
    let detail = error instanceof Error ? error.message : String(error);
    let undiciCode: string | null = null;
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code && !code.startsWith('UND_ERR')) {
        detail = code;
        undiciCode = null;
        break;
      }
      if (code) undiciCode ??= `${code} (${cause.message})`;
    }
    if (undiciCode) detail = undiciCode;
    return new SyncError('Network', this.redact(`network error on ${path}: ${detail}`), { retryable: true, cause: error });
  }
}

/** Jira error bodies are `{errorMessages, errors}` JSON, but 401s may be HTML or text. */
function jiraErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorMessages?: unknown; errors?: Record<string, unknown> };
    const messages = [
      ...(Array.isArray(parsed.errorMessages) ? parsed.errorMessages.map(String) : []),
      ...Object.entries(parsed.errors ?? {}).map(([field, msg]) => `${field}: ${String(msg)}`),
    ];
    return messages.join('; ').slice(0, 500);
  } catch {
    const text = body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text.slice(0, 200);
  }
}

/** `Retry-After` in seconds or as an HTTP date, else `X-RateLimit-Reset`; 0 when absent. */
export function retryAfterMs(headers: { get(name: string): string | null }, nowMs: number = Date.now()): number {
  const retryAfter = headers.get('Retry-After');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers.get('X-RateLimit-Reset');
  if (reset) {
    const date = Date.parse(reset);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  return 0;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
