import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { closeBeforeQuit, takeSingleInstanceLock } from '../../src/main/lifecycle.ts';
import { createSafeStorageCipher, tokenStoragePrompt, tokenStorageWarning } from '../../src/main/safeStorage.ts';

class FakeApp extends EventEmitter {
  quit = vi.fn(() => {
    const event = { preventDefault: vi.fn() };
    this.emit('before-quit', event);
    if (!event.preventDefault.mock.calls.length) this.quitted = true;
  });
  quitted = false;
  requestSingleInstanceLock = vi.fn(() => true);
}

afterEach(() => vi.useRealTimers());

describe('closeBeforeQuit', () => {
  it('holds the first quit until the back end has closed, then quits for real', async () => {
    const app = new FakeApp();
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    closeBeforeQuit(app as never, close);

    app.quit();
    expect(close).toHaveBeenCalledOnce();
    expect(app.quitted).toBe(false);

    app.quit(); // a second quit while closing is held too, without closing twice
    expect(close).toHaveBeenCalledOnce();
    expect(app.quitted).toBe(false);

    finish();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(close).toHaveBeenCalledOnce();
  });

  it('quits even when closing fails', async () => {
    const app = new FakeApp();
    const log = vi.fn();
    closeBeforeQuit(app as never, () => Promise.reject(new Error('disk gone')), { log });
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('disk gone'));
  });

  it('quits after the timeout when closing hangs', async () => {
    vi.useFakeTimers();
    const app = new FakeApp();
    const log = vi.fn();
    closeBeforeQuit(app as never, () => new Promise<void>(() => {}), { timeoutMs: 1000, log });
    app.quit();
    await vi.advanceTimersByTimeAsync(1001);
    expect(app.quitted).toBe(true);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('did not close'));
  });
});

describe('takeSingleInstanceLock', () => {
  it('quits when another instance holds the lock', () => {
    const app = new FakeApp();
    app.requestSingleInstanceLock.mockReturnValue(false);
    const focus = vi.fn();
    expect(takeSingleInstanceLock(app as never, focus)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
  });

  it('focuses the window when a second instance starts', () => {
    const app = new FakeApp();
    const focus = vi.fn();
    expect(takeSingleInstanceLock(app as never, focus)).toBe(true);
    app.emit('second-instance', {}, ['jira-mirror'], '/');
    expect(focus).toHaveBeenCalledOnce();
  });
});

function fakeSafeStorage(available: boolean, backend: string = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain: string) => Buffer.from(`enc:${plain}`),
    decryptString: (buffer: Buffer) => buffer.toString().replace(/^enc:/, ''),
    getSelectedStorageBackend: () => backend as 'basic_text',
  };
}

describe('safeStorage cipher', () => {
  it('encrypts to base64 and decrypts back', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage(true));
    const encrypted = cipher!.encrypt('tok€n');
    expect(encrypted).toBe(Buffer.from('enc:tok€n').toString('base64'));
    expect(cipher!.decrypt(encrypted)).toBe('tok€n');
  });

  it('is null when encryption is unavailable', () => {
    expect(createSafeStorageCipher(fakeSafeStorage(false))).toBeNull();
  });

  it('warns about basic_text on Linux only, and when encryption is unavailable', () => {
    expect(tokenStorageWarning(fakeSafeStorage(true, 'basic_text'), 'linux')).toMatch(/hard-coded key/);
    expect(tokenStorageWarning(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(tokenStorageWarning(fakeSafeStorage(true, 'basic_text'), 'darwin')).toBeNull();
    expect(tokenStorageWarning(fakeSafeStorage(false), 'win32')).toMatch(/cannot encrypt/);
  });

  it('asks before storing a token on Linux without a keyring (basic_text), and never where tokens are encrypted', () => {
    const prompt = tokenStoragePrompt(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(prompt).toEqual({
      type: 'warning',
      title: 'Jira Mirror',
      message: 'Store this API token without a keyring?',
      detail: expect.stringMatching(
        /^No secret service \(GNOME Keyring, KWallet\) was found.*hard-coded key.*\n\nStore the token anyway, or cancel/s,
      ),
      buttons: ['Store anyway', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    expect(tokenStoragePrompt(fakeSafeStorage(false), 'linux')?.detail).toMatch(/cannot encrypt/);
    expect(tokenStoragePrompt(fakeSafeStorage(true, 'kwallet6'), 'linux')).toBeNull();
    expect(tokenStoragePrompt(fakeSafeStorage(true, 'basic_text'), 'darwin')).toBeNull();
  });
});
