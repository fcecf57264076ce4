/**
 * How long a long read holds up the host's thread — the thread that serves the UI (Electron's main
 * process, the preview's server) — run on it, as the CLI runs reads, and on the read thread, as the
 * app and the preview do (src/service/readThread.ts): a first (cold) full-text search, and the
 * dashboard of 90 days. A 1 ms ticker on the host thread records its longest gap while each read is
 * answered. Cold on the read thread means a new thread per repeat (started and warmed with a
 * trivial read first, so that its start is not counted): nothing kept, its connection's page cache
 * empty.
 */
import type { Store } from '../src/store/db.ts';
import { forgetRankings } from '../src/store/issueRanking.ts';
import { DEFAULT_READ_WORKER_URL, ReadThread } from '../src/service/readThread.ts';
import { readsOnThisThread, type ReadInput, type ReadName, type Reads } from '../src/service/reads.ts';

/** One read to time: what the table calls it, and the read with its input. */
export interface HostThreadRead<K extends ReadName = ReadName> {
  label: string;
  name: K;
  input: ReadInput<K>;
}

/** A first search of each text, and the dashboard of 90 days (the longest of the history's reads). */
export function hostThreadReads(texts: string[]): HostThreadRead[] {
  return [
    ...texts.map((text): HostThreadRead<'searchIssues'> => ({
      label: JSON.stringify(text),
      name: 'searchIssues',
      input: { text, limit: 50 },
    })),
    {
      label: 'dashboard, 90 days',
      name: 'getDashboard',
      input: { days: 90, utcOffsetMinutes: 0, nowMs: Date.now() },
    } satisfies HostThreadRead<'getDashboard'>,
  ];
}

export interface HostThreadTiming {
  read: string;
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

export async function measureHostThread(store: Store, reads: HostThreadRead[], repeats = 9): Promise<HostThreadTiming[]> {
  const results: HostThreadTiming[] = [];
  const summarize = (read: string, where: HostThreadTiming['where'], samples: Array<{ answerMs: number; heldMs: number }>) =>
    results.push({
      read,
      where,
      answerMs: median(samples.map((s) => s.answerMs)),
      heldMs: median(samples.map((s) => s.heldMs)),
      heldMaxMs: Math.max(...samples.map((s) => s.heldMs)),
    });
  const timed = (reads: Reads, { name, input }: HostThreadRead) => heldDuring(() => reads.read(name, input as never));
  const here = readsOnThisThread(store);
  for (const read of reads) {
    const onHost: Array<{ answerMs: number; heldMs: number }> = [];
    const onThread: Array<{ answerMs: number; heldMs: number }> = [];
    for (let i = 0; i < repeats; i++) {
      forgetRankings(store);
      onHost.push(await timed(here, read));
      const thread = new ReadThread(DEFAULT_READ_WORKER_URL!, store.file);
      await thread.read('searchIssues', { project: 'none', limit: 1 });
      onThread.push(await timed(thread, read));
      await thread.close();
    }
    summarize(read.label, 'host thread', onHost);
    summarize(read.label, 'read thread', onThread);
  }
  return results;
}

// `node bench/hostThread.ts <db>`: the same on a kept database (`BENCH_KEEP_DB=1 node bench/queries.ts`).
if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/hostThread.ts <a database kept by BENCH_KEEP_DB=1 node bench/queries.ts>');
  const { connectStore } = await import('../src/store/db.ts');
  const store = connectStore(file);
  for (const r of await measureHostThread(store, hostThreadReads(['timeout', 'checkout payment', 'pa']))) {
    console.log(
      `${r.read}\t${r.where}\tanswer ${r.answerMs.toFixed(1)} ms\theld ${r.heldMs.toFixed(1)} ms (worst ${r.heldMaxMs.toFixed(1)})`,
    );
  }
  store.close();
}
