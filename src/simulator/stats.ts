/** What the simulator counts of the traffic it serves (SimulatorStats), and the log of its last requests. */
import type { Reply } from './reply.ts';
import type { RequestLogEntry, SimulatorStats } from './types.ts';

const LOG_SIZE = 10_000;

export class RequestStats {
  private st!: SimulatorStats;
  private log: RequestLogEntry[] = [];
  private logHead = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.st = {
      totalRequests: 0,
      requests: {},
      statuses: {},
      issuesServed: 0,
      pagesServed: 0,
      bytesServed: 0,
      faults: {},
      connectionsOpened: 0,
      maxOpenConnections: 0,
    };
    this.log = [];
    this.logHead = 0;
  }
  stats(): SimulatorStats {
    return structuredClone(this.st);
  }
  requestLog(): RequestLogEntry[] {
    return this.log.length < LOG_SIZE ? [...this.log] : [...this.log.slice(this.logHead), ...this.log.slice(0, this.logHead)];
  }
  connectionOpened(openConnections: number): void {
    this.st.connectionsOpened++;
    this.st.maxOpenConnections = Math.max(this.st.maxOpenConnections, openConnections);
  }
  record(e: RequestLogEntry, route: string, reply: Reply | null, bytes: number): void {
    this.st.totalRequests++;
    this.st.requests[route] = (this.st.requests[route] ?? 0) + 1;
    const sk = String(e.status);
    this.st.statuses[sk] = (this.st.statuses[sk] ?? 0) + 1;
    this.st.bytesServed += bytes;
    if (e.fault) this.st.faults[e.fault] = (this.st.faults[e.fault] ?? 0) + 1;
    if (reply?.page && reply.status === 200 && !e.fault) {
      this.st.pagesServed++;
      this.st.issuesServed += reply.issues ?? 0;
    }
    if (this.log.length < LOG_SIZE) this.log.push(e);
    else {
      this.log[this.logHead] = e;
      this.logHead = (this.logHead + 1) % LOG_SIZE;
    }
  }
}
