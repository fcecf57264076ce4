/** Whether the process that owns a `running` run still runs it (see `isOwnerAlive`). */
import { hostname } from 'node:os';

/**
 * A running engine refreshes the run's heartbeat every 5 s: a heartbeat older than 2 minutes means
 * the run is dead even if its pid now belongs to some other process; on this host a vanished pid
 * means dead at once (kill -9, crash).
 */
const HEARTBEAT_STALE_MS = 2 * 60_000;

export function isOwnerAlive(owner: { pid: number; host: string; heartbeatAt: string | null }, nowMs = Date.now()): boolean {
  const fresh = owner.heartbeatAt !== null && nowMs - Date.parse(owner.heartbeatAt) < HEARTBEAT_STALE_MS;
  if (!fresh) return false;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
