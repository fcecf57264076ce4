// Child-process helpers shared by the bench scripts: each measured part (simulator, client) runs in
// a process of its own so that its CPU and memory can be read from the outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SimulatorOptions } from '../src/simulator/index.ts';

export const here = (file: string) => new URL(file, import.meta.url).pathname;

export function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`${what} exited (${signal ?? code}) before printing a line`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      resolve(line);
    });
  });
}

/** Busy CPU seconds of the whole machine so far, from /proc/stat (Linux); null elsewhere. */
export function machineBusySeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return null;
  }
}

/** utime + stime of a live process, from /proc (Linux); null elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** GET a simulator control route (`/_sim/…`). */
export async function control<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}/_sim/${path}`);
  if (!response.ok) throw new Error(`simulator /_sim/${path} → HTTP ${response.status}`);
  return (await response.json()) as T;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts simulatorProcess.ts with these options; resolves once it serves, with its URL. */
export async function startSimulatorProcess(
  options: SimulatorOptions,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, here('./simulatorProcess.ts'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    return { child, url: await firstLine(child, 'the simulator') };
  } catch (error) {
    await stopSimulatorProcess(child);
    throw error;
  }
}

export async function stopSimulatorProcess(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  await stop(child);
}
