// A Jira simulator in its own process, so its CPU and memory never count against the client's.
// argv[2] is the SimulatorOptions JSON. Prints its URL as the first stdout line, then serves until
// SIGTERM/SIGINT or until its parent closes our stdin (so a crashed bench leaves no server behind).
import { startSimulator, type SimulatorOptions } from '../src/simulator/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator(options);
process.stdout.write(`${simulator.url}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void simulator.close().then(() => process.exit(0));
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
