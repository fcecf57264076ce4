/** The Electron tray adapter with Tray, Menu and nativeImage faked: per platform, and only real changes reach Electron. */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { trayView, type TrayAction, type TrayStatus } from '../../src/desktop/trayMenu.ts';
import { createTray, toMenuTemplate } from '../../src/main/tray.ts';

const ICONS = resolve(import.meta.dirname, '../../resources/icons');
const NOW = Date.parse('2026-11-30T09:00:00Z');

class FakeTray extends EventEmitter {
  static last: FakeTray;
  image: { path: string };
  setImage = vi.fn((image: { path: string }) => (this.image = image));
  setToolTip = vi.fn();
  setContextMenu = vi.fn();
  popUpContextMenu = vi.fn();
  destroy = vi.fn();
  constructor(image: { path: string }) {
    super();
    this.image = image;
    FakeTray.last = this;
  }
}

function fakes(platform: NodeJS.Platform) {
  const actions: TrayAction[] = [];
  const images: Array<{ path: string; template: boolean }> = [];
  const deps = {
    Tray: FakeTray as never,
    Menu: { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) as never },
    nativeImage: {
      createFromPath: (path: string) => {
        const image = { path, template: false, isEmpty: () => !existsSync(path), setTemplateImage: (on: boolean) => (image.template = on) };
        images.push(image);
        return image as never;
      },
    },
    platform,
    iconsDir: ICONS,
    onAction: (action: TrayAction) => actions.push(action),
    log: vi.fn(),
  };
  return { deps, actions, images };
}

const idle: TrayStatus = {
  activeRun: null,
  lastRun: null,
  schedule: null,
  instanceCount: 1,
  preferences: { theme: 'system', closeToTray: true, notifyOnFailure: true },
};
const syncing: TrayStatus = {
  ...idle,
  activeRun: {
    id: 'run-9',
    status: 'running',
    initiatedBy: 'tray',
    startedAt: '2026-11-30T08:59:00.000Z',
    completedAt: null,
    durationMs: null,
    totalProjects: 0,
    successfulProjects: 0,
    failedProjects: 0,
    totalIssues: 0,
    issuesCreated: 0,
    issuesUpdated: 0,
    issuesUnchanged: 0,
    issuesDeleted: 0,
    errorMessage: null,
    errorCategory: null,
  },
};

describe('the tray adapter', () => {
  it('Linux: a PNG that exists, the menu attached, and attached again after every change (and only then)', () => {
    const { deps, actions } = fakes('linux');
    const controller = createTray(deps, trayView(idle, NOW));
    const tray = FakeTray.last;
    expect(tray.image.path).toBe(resolve(ICONS, 'tray/linux/idle.png'));
    expect(existsSync(tray.image.path)).toBe(true);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(tray.setToolTip).toHaveBeenCalledWith('Jira Mirror\nNo sync yet');

    controller.update(trayView(idle, NOW + 10_000)); // nothing visible changed
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(tray.setToolTip).toHaveBeenCalledTimes(1);
    expect(tray.setImage).not.toHaveBeenCalled();

    controller.update(trayView(syncing, NOW));
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2);
    expect(tray.setImage).toHaveBeenCalledOnce();
    expect(tray.image.path).toBe(resolve(ICONS, 'tray/linux/syncing.png'));

    // Menu items call back with their action; a click on the icon (when delivered) opens the window.
    const template = (tray.setContextMenu.mock.calls[1]![0] as { template: Array<{ label?: string; click?: () => void }> }).template;
    template.find((item) => item.label === 'Stop sync')!.click!();
    tray.emit('click');
    expect(actions).toEqual([{ kind: 'stop-sync', runId: 'run-9' }, { kind: 'open' }]);
    expect(deps.log).not.toHaveBeenCalled();
  });

  it('macOS: template images, no attached menu, click opens the window, right-click pops the menu up', () => {
    const { deps, actions, images } = fakes('darwin');
    createTray(deps, trayView(idle, NOW));
    const tray = FakeTray.last;
    expect(tray.image.path).toBe(resolve(ICONS, 'tray/mac/idleTemplate.png'));
    expect(existsSync(resolve(ICONS, 'tray/mac/idleTemplate@2x.png'))).toBe(true);
    expect(images[0]!.template).toBe(true);
    expect(tray.setContextMenu).not.toHaveBeenCalled();
    tray.emit('click');
    tray.emit('right-click');
    expect(actions).toEqual([{ kind: 'open' }]);
    expect(tray.popUpContextMenu).toHaveBeenCalledOnce();
  });

  it('Windows: an .ico, the menu attached', () => {
    const { deps } = fakes('win32');
    createTray(deps, trayView(idle, NOW));
    expect(FakeTray.last.image.path).toBe(resolve(ICONS, 'tray/win/idle.ico'));
    expect(FakeTray.last.setContextMenu).toHaveBeenCalledOnce();
    expect(deps.log).not.toHaveBeenCalled();
  });

  it('maps the menu model to Electron templates: separators, submenus, radios, disabled labels', () => {
    const clicked: TrayAction[] = [];
    const template = toMenuTemplate(
      [
        { type: 'normal', label: 'No sync yet', enabled: false, action: null },
        { type: 'separator' },
        {
          type: 'submenu',
          label: 'Sync automatically',
          items: [{ type: 'radio', label: 'Off', checked: true, action: { kind: 'schedule-off' } }],
        },
        { type: 'checkbox', label: 'Notify when a sync fails', checked: false, action: { kind: 'toggle-notifications' } },
      ],
      (action) => clicked.push(action),
    );
    expect(template).toEqual([
      { label: 'No sync yet', enabled: false },
      { type: 'separator' },
      { label: 'Sync automatically', submenu: [{ type: 'radio', label: 'Off', checked: true, click: expect.any(Function) }] },
      { type: 'checkbox', label: 'Notify when a sync fails', checked: false, click: expect.any(Function) },
    ]);
    (template[2]!.submenu as Array<{ click: () => void }>)[0]!.click();
    (template[3]!.click as () => void)();
    expect(clicked).toEqual([{ kind: 'schedule-off' }, { kind: 'toggle-notifications' }]);
  });
});
