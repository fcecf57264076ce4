/**
 * The tray icon: draws a TrayView (src/desktop/trayMenu.ts) with Electron's Tray and Menu. Sets
 * the image, tooltip and menu only when they change; on Linux the menu must be set again after
 * every change (AppIndicator keeps the one it was given), which is what happens here.
 */
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import { trayAttachesMenu, trayIconFile } from '../desktop/icons.ts';
import type { TrayAction, TrayIcon, TrayMenuItem, TrayView } from '../desktop/trayMenu.ts';

export interface TrayDeps {
  Tray: new (image: NativeImage) => Tray;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu };
  nativeImage: { createFromPath(path: string): NativeImage };
  platform: NodeJS.Platform;
  iconsDir: string;
  onAction(action: TrayAction): void;
  log?: (message: string) => void;
}

export interface TrayController {
  update(view: TrayView): void;
  /** What the tray shows now. */
  view(): TrayView;
  isDestroyed(): boolean;
  destroy(): void;
}

export function toMenuTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
      case 'checkbox':
      case 'radio':
        return { type: item.type, label: item.label, checked: item.checked, click: () => onAction(item.action) };
      case 'normal': {
        const action = item.action;
        return { label: item.label, enabled: item.enabled, ...(action ? { click: () => onAction(action) } : {}) };
      }
    }
  });
}

export function createTray(deps: TrayDeps, initial: TrayView): TrayController {
  const log = deps.log ?? ((message: string) => console.warn(message));
  const images = new Map<TrayIcon, NativeImage>();
  const image = (icon: TrayIcon): NativeImage => {
    let loaded = images.get(icon);
    if (!loaded) {
      const file = trayIconFile(deps.iconsDir, deps.platform, icon);
      loaded = deps.nativeImage.createFromPath(file);
      if (loaded.isEmpty()) log(`[tray] icon ${file} could not be loaded`);
      if (deps.platform === 'darwin') loaded.setTemplateImage(true);
      images.set(icon, loaded);
    }
    return loaded;
  };

  const tray = new deps.Tray(image(initial.icon));
  const attachMenu = trayAttachesMenu(deps.platform);
  let shown: { icon: TrayIcon; tooltip: string; menu: string } | null = null;
  let current = initial;
  let menu: Menu | null = null;

  // macOS and Windows deliver clicks (Linux rarely does, hence everything is in the menu too).
  tray.on('click', () => deps.onAction({ kind: 'open' }));
  if (!attachMenu) tray.on('right-click', () => menu && tray.popUpContextMenu(menu));

  function update(view: TrayView): void {
    const serializedMenu = JSON.stringify(view.menu);
    if (shown?.icon !== view.icon && shown) tray.setImage(image(view.icon));
    if (shown?.tooltip !== view.tooltip) tray.setToolTip(view.tooltip);
    if (shown?.menu !== serializedMenu) {
      menu = deps.Menu.buildFromTemplate(toMenuTemplate(view.menu, deps.onAction));
      if (attachMenu) tray.setContextMenu(menu);
    }
    shown = { icon: view.icon, tooltip: view.tooltip, menu: serializedMenu };
    current = view;
  }

  update(initial);
  return {
    update,
    view: () => current,
    isDestroyed: () => tray.isDestroyed(),
    destroy: () => tray.destroy(),
  };
}
