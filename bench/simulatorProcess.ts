// A Jira simulator in its own process, so its CPU and memory never count against the engine's.
// Prints its URL as the first line, then serves until killed.
import { startSimulator, type SimulatorOptions } from '../src/simulator/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator(options);
process.stdout.write(`${simulator.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void simulator.close().then(() => process.exit(0)));
