/**
 * The back end behind the contract, Electron-free: one object that the Electron IPC adapter, the
 * browser preview's HTTP server and the CLI all drive. It validates every input against the
 * contract, answers reads from its own connection, and runs syncs off this thread.
 */
import type { CallName, CallOutput, EventName, Events, ParsedInput, Result } from '../shared/contract.ts';
import type { Initiator } from '../shared/model.ts';
import type { Run } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import type { Clock } from './clock.ts';
import type { EventListener } from './events.ts';
import type { PreferenceStore } from './preferences.ts';
import type { SecretStore } from './secrets.ts';

export interface BackendOptions {
  dbFile: string;
  /** Recorded on runs this backend starts: 'app', 'cli', 'preview', … */
  initiator: Initiator;
  /** Defaults to a FileSecretStore beside the database. */
  secrets?: SecretStore;
  /** The sync engine's worker entry; Electron passes its bundled file, Node uses the TS source. */
  engineWorkerUrl?: URL;
  /** The page thread's entry (Electron passes its bundled file; from source it is found beside the engine). */
  pageWorkerUrl?: URL;
  /**
   * The read thread's entry (readWorker.ts): the issue browser's searches and facets and the CSV
   * exports (reads.ts) then run there, on their own connection, and never hold up this thread (the desktop app's main process, the
   * preview's server). Without it they run on the calling thread, as the CLI's one-shot commands want.
   */
  readWorkerUrl?: URL;
  /** Environment read for `--token-env` credentials (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  migrationsFolder?: string;
  /**
   * Asked before an API token is stored (the desktop app asks the user when no keyring protects
   * tokens); false stores nothing and the call fails with UNAVAILABLE.
   */
  confirmTokenStorage?: () => Promise<boolean>;
  /** The desktop preferences and the schedule's state; defaults to memory (lost at exit). */
  preferences?: PreferenceStore;
  /**
   * Runs the sync schedule in this host (the desktop app and the browser preview; the CLI leaves
   * scheduling to cron). Without it, getSchedule and setSchedule answer UNAVAILABLE.
   */
  /** Serves the metrics endpoint while open when the settings enable it (the desktop app and the browser preview). */
  servesMetrics?: boolean;
  schedule?: {
    clock?: Clock;
    /** Whether the machine is online (Electron's net.isOnline); a due sync waits for the network. */
    isOnline?: () => boolean;
  };
}

export type Handlers = { [K in CallName]: (input: ParsedInput<K>) => Promise<CallOutput<K>> };

export interface Backend {
  /** Validates `rawInput` against the contract, runs the call, and returns a Result (never throws). */
  dispatch(name: string, rawInput: unknown): Promise<Result<unknown>>;
  /** Typed direct calls (already-validated input), for in-process callers such as the CLI. */
  call<K extends CallName>(name: K, input: ParsedInput<K>): Promise<CallOutput<K>>;
  /** Listens to every push event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Starts a sync on behalf of an in-process initiator (the tray's Sync now); the contract's startSync records the host's. */
  startSync(request: ParsedInput<'startSync'>, initiatedBy: Initiator): Promise<{ runId: string }>;
  /** Where the host keeps its preferences (the desktop app stores its window state there too). */
  preferences: PreferenceStore;
  /** The host's power events (Electron's powerMonitor), for the schedule; no-ops without one. */
  power: { suspend(): void; resume(): void };
  /** Resolves when the given run has finished (any final status). */
  waitForRun(runId: string): Promise<Run>;
  store: Store;
  /** Stops a running sync (it ends `stopped`), closes the demo simulator and the database. */
  close(): Promise<void>;
}

export type { EventName, Events };
