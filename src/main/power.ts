/** Feeds the operating system's sleep and wake to the schedule (src/service/scheduler.ts). */
import type { PowerMonitor } from 'electron';

export function followPower(
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>,
  target: { suspend(): void; resume(): void },
): () => void {
  const suspend = () => target.suspend();
  const resume = () => target.resume();
  powerMonitor.on('suspend', suspend);
  powerMonitor.on('resume', resume);
  return () => {
    powerMonitor.removeListener('suspend', suspend);
    powerMonitor.removeListener('resume', resume);
  };
}
