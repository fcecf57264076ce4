/**
 * The built-in demo instance: a Jira Cloud simulator started on loopback when a sync needs it.
 * The instance is stored as "the demo" (seed and data anchor), not as a port, so it works again
 * after any restart. While it runs, a few issues change now and then, so repeated syncs show
 * real incremental work.
 */
import { startSimulator, type RunningSimulator } from '../simulator/index.ts';

export const DEMO_CREDENTIALS = { email: 'demo@jira-mirror.invalid', apiToken: 'demo-token' } as const;
export const DEMO_URL = 'demo://built-in';
const DEMO_SITE_URL = 'https://demo.jira-mirror.invalid';
export const DEMO_PROJECTS = [
  { key: 'DEMO', name: 'Demo Platform', issues: 120 },
  { key: 'WEB', name: 'Web Storefront', issues: 80 },
  { key: 'OPS', name: 'Operations', issues: 45 },
];
const CHURN_INTERVAL_MS = 15_000;

export class DemoSimulator {
  #running: Promise<RunningSimulator> | null = null;
  #churn: NodeJS.Timeout | null = null;

  /** The demo server's URL, starting it on first use. */
  async url(seed: number, anchorIso: string): Promise<string> {
    this.#running ??= this.#start(seed, Date.parse(anchorIso));
    return (await this.#running).url;
  }

  async #start(seed: number, anchorMs: number): Promise<RunningSimulator> {
    const simulator = await startSimulator({
      flavor: 'cloud',
      seed,
      dataAnchor: anchorMs,
      projects: DEMO_PROJECTS,
      auth: DEMO_CREDENTIALS,
      // A fixed site URL keeps every issue byte-identical whichever port the demo gets after a restart.
      baseUrl: DEMO_SITE_URL,
      latencyMs: 40,
    });
    let tick = 0;
    this.#churn = setInterval(() => {
      tick += 1;
      const project = DEMO_PROJECTS[tick % DEMO_PROJECTS.length]!;
      const keys = [1, 2].map((n) => `${project.key}-${1 + ((tick * 7 + n * 13) % project.issues)}`);
      simulator.control.updateIssues(keys);
      if (tick % 3 === 0) simulator.control.createIssues(project.key, 1);
    }, CHURN_INTERVAL_MS);
    this.#churn.unref();
    return simulator;
  }

  async close(): Promise<void> {
    if (this.#churn) clearInterval(this.#churn);
    const running = this.#running;
    this.#running = null;
    if (running) await (await running).close();
  }
}
