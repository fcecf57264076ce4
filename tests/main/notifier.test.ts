/** The Electron notification adapter with Notification faked. */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import type { Notice } from '../../src/desktop/notifications.ts';
import { createNotifier } from '../../src/main/notifier.ts';

const ICONS = resolve(import.meta.dirname, '../../resources/icons');

function fakeNotification(supported = true) {
  const created: FakeNotification[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported = () => supported;
    readonly options: { title: string; body: string; icon?: string; urgency?: string };
    shown = false;
    closed = false;
    constructor(options: FakeNotification['options']) {
      super();
      this.options = options;
      created.push(this);
    }
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
      this.emit('close');
    }
  }
  return { FakeNotification, created };
}

const failure: Notice = {
  kind: 'failure',
  title: 'Sync failed: acme',
  body: 'Authentication: Jira rejected the credentials.\nacme: HTTP 401',
  runId: 'run-1',
};
const recovery: Notice = {
  kind: 'recovery',
  title: 'Sync recovered: acme (PROJ)',
  body: 'Completed after 1 failed sync; 10 issues synced.',
  runId: 'run-2',
};

describe('the notification adapter', () => {
  it('shows one notice at a time with the platform icon, and a click opens the notice’s run', () => {
    const { FakeNotification, created } = fakeNotification();
    const clicks: Notice[] = [];
    const notifier = createNotifier({
      Notification: FakeNotification as never,
      platform: 'linux',
      iconsDir: ICONS,
      onClick: (n) => clicks.push(n),
    });
    notifier.show(failure);
    expect(created[0]!.options).toEqual({
      title: failure.title,
      body: failure.body,
      icon: resolve(ICONS, 'notification/failure.png'),
      urgency: 'normal',
    });
    expect(existsSync(created[0]!.options.icon!)).toBe(true);
    expect(created[0]!.shown).toBe(true);

    notifier.show(recovery); // the recovery replaces the failure
    expect(created[0]!.closed).toBe(true);
    expect(created[1]!.options).toMatchObject({ icon: resolve(ICONS, 'notification/recovery.png'), urgency: 'low' });
    created[1]!.emit('click');
    expect(clicks).toEqual([recovery]);
  });

  it('macOS shows the app icon (none is passed); Windows gets the PNG', () => {
    const mac = fakeNotification();
    createNotifier({ Notification: mac.FakeNotification as never, platform: 'darwin', iconsDir: ICONS, onClick: () => {} }).show(failure);
    expect(mac.created[0]!.options).not.toHaveProperty('icon');
    const win = fakeNotification();
    createNotifier({ Notification: win.FakeNotification as never, platform: 'win32', iconsDir: ICONS, onClick: () => {} }).show(failure);
    expect(win.created[0]!.options.icon).toBe(resolve(ICONS, 'notification/failure.png'));
  });

  it('where notifications are not supported, logs the notice instead', () => {
    const { FakeNotification, created } = fakeNotification(false);
    const log = vi.fn();
    createNotifier({ Notification: FakeNotification as never, platform: 'linux', iconsDir: ICONS, onClick: () => {}, log }).show(failure);
    expect(created).toEqual([]);
    expect(log).toHaveBeenCalledWith(
      '[notifications] not supported here: Sync failed: acme — Authentication: Jira rejected the credentials.\nacme: HTTP 401',
    );
  });
});
