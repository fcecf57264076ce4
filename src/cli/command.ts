/** What every `jira-mirror` command shares: the terminal it talks to, its errors, and how it gets a Backend. */
import { writeFileSync } from 'node:fs';
import type { ZodError } from 'zod';
import type { Backend, BackendOptions } from '../service/backend.ts';
import { describeZodError } from '../service/apiErrors.ts';
import { UsageError } from './args.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  /** A live status line (a terminal rewrites it in place; a log gets it now and then); '' ends it. */
  progress: (line: string) => void;
  /** Registers a Ctrl-C handler for the duration of a command; returns its remover. */
  onInterrupt: (handler: () => void) => () => void;
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Resolves at the first Ctrl-C: how a command that serves (simulator, preview, metrics) runs until stopped. */
export function untilInterrupted(io: CliIo): Promise<void> {
  return new Promise<void>((resolve) => {
    const remove = io.onInterrupt(() => {
      remove();
      resolve();
    });
  });
}

export function unwrap<T>(result: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new CommandError(1, result.error.message);
  return result.data as T;
}

export class CommandError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Runs `fn` with a Backend on the chosen database; `host` overrides how it is hosted (the preview's). */
export type WithBackend = (
  fn: (backend: Backend) => Promise<number>,
  host?: Partial<Pick<BackendOptions, 'initiator' | 'schedule' | 'servesMetrics' | 'readWorkerUrl'>>,
) => Promise<number>;

export function validated<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  value: unknown,
  flag: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag}: ${describeZodError(result.error)}`);
  return result.data;
}

/**
 * Writes an export to the file the user named, never replacing one that exists unless `--force`
 * says so (a script cannot be asked, so it is told how).
 */
export function writeNewFile(file: string, content: string | Buffer, force: boolean): void {
  try {
    writeFileSync(file, content, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CommandError(1, `${file} already exists: choose another file, or pass --force to replace it`);
    throw new CommandError(1, `could not write ${file}: ${code ?? (error as Error).message}`);
  }
}
