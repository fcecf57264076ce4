/**
 * Where the main window opens: the saved size and position when they still fit the screens
 * attached now, otherwise a size that fits, centred. A monitor unplugged since the last run never
 * leaves the window off-screen.
 */
import type { WindowState } from '../service/preferences.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 880, height: 560 } as const;
/** How much of the window's top edge (where the title bar is) must be on a screen to keep the position. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 40;

export function restoreWindowState(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | null>(
    (best, area) => (!best || area.width * area.height > best.width * best.height ? area : best),
    null,
  );
  const fit = (wanted: number, min: number, max: number | undefined) => Math.round(Math.max(min, Math.min(wanted, max ?? wanted)));
  const width = fit(saved?.width ?? DEFAULT_WINDOW_SIZE.width, MIN_WINDOW_SIZE.width, largest?.width);
  const height = fit(saved?.height ?? DEFAULT_WINDOW_SIZE.height, MIN_WINDOW_SIZE.height, largest?.height);
  const state: WindowState = { width, height, maximized: saved?.maximized ?? false };
  if (saved?.x === undefined || saved.y === undefined) return state;
  const titleBar: Rect = { x: saved.x, y: saved.y, width, height: GRAB_HEIGHT };
  const reachable = workAreas.some((area) => {
    const overlap = intersection(titleBar, area);
    return overlap !== null && overlap.width >= Math.min(GRAB_WIDTH, width) && overlap.height >= GRAB_HEIGHT / 2;
  });
  return reachable ? { ...state, x: Math.round(saved.x), y: Math.round(saved.y) } : state;
}

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}
