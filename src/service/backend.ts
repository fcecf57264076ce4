/**
 * The back end behind the contract, Electron-free: one object that the Electron IPC adapter, the
 * browser preview's HTTP server and the CLI all drive. It validates every input against the
 * contract, answers reads from its own connection, and runs syncs off this thread.
 */
import type { CallName, CallOutput, EventName, Events, ParsedInput, Result } from '../shared/contract.ts';
import type { Initiator } from '../shared/model.ts';
import type { Run } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import type { SecretStore } from './secrets.ts';
import type { EventListener } from './events.ts';

export interface BackendOptions {
  dbFile: string;
  /** Recorded on runs this backend starts: 'app', 'cli', 'preview', … */
  initiator: Initiator;
  /** Defaults to a FileSecretStore beside the database. */
  secrets?: SecretStore;
  /** The sync engine's worker entry; Electron passes its bundled file, Node uses the TS source. */
  engineWorkerUrl?: URL;
  /** The parse pool's thread entry (Electron passes its bundled file; from source it is found beside the engine). */
  parseWorkerUrl?: URL;
  /** Environment read for `--token-env` credentials (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  migrationsFolder?: string;
}

export type Handlers = { [K in CallName]: (input: ParsedInput<K>) => Promise<CallOutput<K>> };

export interface Backend {
  /** Validates `rawInput` against the contract, runs the call, and returns a Result (never throws). */
  dispatch(name: string, rawInput: unknown): Promise<Result<unknown>>;
  /** Typed direct calls (already-validated input), for in-process callers such as the CLI. */
  call<K extends CallName>(name: K, input: ParsedInput<K>): Promise<CallOutput<K>>;
  /** Listens to every push event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Resolves when the given run has finished (any final status). */
  waitForRun(runId: string): Promise<Run>;
  store: Store;
  /** Stops a running sync (it ends `stopped`), closes the demo simulator and the database. */
  close(): Promise<void>;
}

export type { EventName, Events };
