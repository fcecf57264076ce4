/** Where the window reopens, on the screens attached now. */
import { describe, expect, it } from 'vitest';
import { restoreWindowState } from '../../src/desktop/windowState.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 870 };
const leftMonitor = { x: -1920, y: 0, width: 1920, height: 1040 };

describe('restoreWindowState', () => {
  it('first start: the default size, centred (no position)', () => {
    expect(restoreWindowState(null, [laptop])).toEqual({ width: 1280, height: 820, maximized: false });
  });

  it('keeps the saved size, position and maximized state when they fit a screen', () => {
    expect(restoreWindowState({ x: -1800, y: 60, width: 1500, height: 900, maximized: true }, [laptop, leftMonitor])).toEqual({
      x: -1800,
      y: 60,
      width: 1500,
      height: 900,
      maximized: true,
    });
  });

  it('drops a position on a monitor that is gone, and shrinks a size larger than the biggest screen', () => {
    expect(restoreWindowState({ x: -1800, y: 60, width: 1800, height: 1000, maximized: false }, [laptop])).toEqual({
      width: 1440,
      height: 870,
      maximized: false,
    });
  });

  it('keeps a window whose title bar is still reachable, drops one only a sliver of which shows', () => {
    expect(restoreWindowState({ x: 1200, y: 700, width: 1000, height: 700, maximized: false }, [laptop])).toMatchObject({
      x: 1200,
      y: 700,
    });
    expect(restoreWindowState({ x: 1400, y: 100, width: 1000, height: 700, maximized: false }, [laptop])).not.toHaveProperty('x');
    expect(restoreWindowState({ x: 100, y: -600, width: 1000, height: 700, maximized: false }, [laptop])).not.toHaveProperty('y');
  });

  it('never goes below the minimum size', () => {
    expect(restoreWindowState({ width: 200, height: 100, maximized: false }, [laptop])).toEqual({
      width: 880,
      height: 560,
      maximized: false,
    });
  });
});
