/**
 * Time series of a run (throughput, API latency, memory) sampled at a bounded rate into
 * `sync_performance_metrics`: one sample a second, the interval doubling every 300 samples so a
 * run of any length stores at most a few thousand rows.
 */
import type { MetricSample } from '../shared/model.ts';

const SAMPLES_BEFORE_SLOWDOWN = 300;

export class MetricSampler {
  readonly #pending: MetricSample[] = [];
  readonly #read: () => { issues: number; latenciesMs: number[] };
  #timer: NodeJS.Timeout | null = null;
  #intervalMs = 1000;
  #taken = 0;
  #lastIssues = 0;
  #lastAt = performance.now();
  #latencySeen = 0;
  /** Memory high-water marks over every sample. */
  readonly peaks = { rssBytes: 0, heapBytes: 0 };

  constructor(read: () => { issues: number; latenciesMs: number[] }) {
    this.#read = read;
  }

  start(): void {
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.sample();
      this.#schedule();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    const now = performance.now();
    const { issues, latenciesMs } = this.#read();
    const recordedAt = new Date().toISOString();
    const seconds = (now - this.#lastAt) / 1000;
    const recent = latenciesMs.slice(this.#latencySeen);
    this.#latencySeen = latenciesMs.length;
    const memory = process.memoryUsage();
    this.peaks.rssBytes = Math.max(this.peaks.rssBytes, memory.rss);
    this.peaks.heapBytes = Math.max(this.peaks.heapBytes, memory.heapUsed);
    this.#pending.push(
      { metric: 'issues_per_second', projectKey: null, recordedAt, value: seconds > 0 ? (issues - this.#lastIssues) / seconds : 0 },
      { metric: 'rss_bytes', projectKey: null, recordedAt, value: memory.rss },
      { metric: 'heap_used_bytes', projectKey: null, recordedAt, value: memory.heapUsed },
    );
    if (recent.length > 0) {
      recent.sort((a, b) => a - b);
      this.#pending.push({
        metric: 'api_latency_p50_ms',
        projectKey: null,
        recordedAt,
        value: recent[Math.floor((recent.length - 1) / 2)]!,
      });
    }
    this.#lastIssues = issues;
    this.#lastAt = now;
    this.#taken += 1;
    if (this.#taken % SAMPLES_BEFORE_SLOWDOWN === 0) this.#intervalMs *= 2;
  }

  /** Samples gathered since the last drain. */
  drain(): MetricSample[] {
    return this.#pending.splice(0);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
