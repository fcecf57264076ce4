/** Repeated timing of one read, for the bench scripts: p50 / p95 (nearest rank) and max, in ms. */
export interface Timing {
  name: string;
  p50: number;
  p95: number;
  max: number;
}

export async function time(name: string, read: () => unknown, repeats = 30): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await read();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const rank = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  return { name, p50: rank(0.5), p95: rank(0.95), max: samples.at(-1)! };
}
