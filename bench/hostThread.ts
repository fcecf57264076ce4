/**
 * How long a first (cold) full-text search holds up the host's thread — the thread that serves the
 * UI (Electron's main process, the preview's server) — run on it, as the CLI runs reads, and on
 * the read thread, as the app and the preview do (src/service/readThread.ts). A 1 ms ticker on the
 * host thread records its longest gap while each search is answered. Cold on the read thread means
 * a new thread per repeat (started and warmed with a trivial read first, so that its start is not
 * counted): nothing kept, its connection's page cache empty.
 */
import type { Store } from '../src/store/db.ts';
import { forgetRankings } from '../src/store/issueRanking.ts';
import { searchIssues } from '../src/store/issueSearch.ts';
import { DEFAULT_READ_WORKER_URL, ReadThread } from '../src/service/readThread.ts';

export interface HostThreadTiming {
  text: string;
  where: 'host thread' | 'read thread';
  /** Median time to the answer. */
  answerMs: number;
  /** Median and worst longest gap of the host thread's ticker during a search. */
  heldMs: number;
  heldMaxMs: number;
}

/** Runs `search` while a 1 ms ticker on this thread records its longest gap. */
async function heldDuring(search: () => Promise<unknown>): Promise<{ answerMs: number; heldMs: number }> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  last = started;
  await search();
  const answerMs = performance.now() - started;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(ticker);
  return { answerMs, heldMs: longest };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureHostThread(store: Store, texts: string[], repeats = 9): Promise<HostThreadTiming[]> {
  const results: HostThreadTiming[] = [];
  const summarize = (text: string, where: HostThreadTiming['where'], samples: Array<{ answerMs: number; heldMs: number }>) =>
    results.push({
      text,
      where,
      answerMs: median(samples.map((s) => s.answerMs)),
      heldMs: median(samples.map((s) => s.heldMs)),
      heldMaxMs: Math.max(...samples.map((s) => s.heldMs)),
    });
  for (const text of texts) {
    const here: Array<{ answerMs: number; heldMs: number }> = [];
    const there: Array<{ answerMs: number; heldMs: number }> = [];
    for (let i = 0; i < repeats; i++) {
      forgetRankings(store);
      here.push(await heldDuring(async () => searchIssues(store, { text, limit: 50 })));
      const thread = new ReadThread(DEFAULT_READ_WORKER_URL!, store.file);
      await thread.read('searchIssues', { project: 'none', limit: 1 });
      there.push(await heldDuring(() => thread.read('searchIssues', { text, limit: 50 })));
      await thread.close();
    }
    summarize(text, 'host thread', here);
    summarize(text, 'read thread', there);
  }
  return results;
}

// `node bench/hostThread.ts <db>`: the same on a kept database (`BENCH_KEEP_DB=1 node bench/queries.ts`).
if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/hostThread.ts <a database kept by BENCH_KEEP_DB=1 node bench/queries.ts>');
  const { connectStore } = await import('../src/store/db.ts');
  const store = connectStore(file);
  for (const r of await measureHostThread(store, ['timeout', 'checkout payment', 'pa'])) {
    console.log(
      `${JSON.stringify(r.text)}\t${r.where}\tanswer ${r.answerMs.toFixed(1)} ms\theld ${r.heldMs.toFixed(1)} ms (worst ${r.heldMaxMs.toFixed(1)})`,
    );
  }
  store.close();
}
