/**
 * Encrypts stored API tokens with Electron's safeStorage (OS keychain / DPAPI / libsecret).
 * Call only after `app` is ready.
 */
import type { MessageBoxOptions, SafeStorage } from 'electron';
import type { SecretCipher } from '../service/secrets.ts';

type Storage = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

/** A base64 cipher over safeStorage, or null when encryption is unavailable (tokens then stay in a 0600 file, as for the CLI). */
export function createSafeStorageCipher(storage: Storage): SecretCipher | null {
  if (!storage.isEncryptionAvailable()) return null;
  return {
    encrypt: (plain) => storage.encryptString(plain).toString('base64'),
    decrypt: (encrypted) => storage.decryptString(Buffer.from(encrypted, 'base64')),
  };
}

/** What to tell the user about where tokens are kept, or null when all is well. */
export function tokenStorageWarning(storage: Storage, platform: NodeJS.Platform = process.platform): string | null {
  if (!storage.isEncryptionAvailable()) {
    return 'Jira Mirror cannot encrypt stored API tokens on this system (no OS keychain): tokens are kept in a file only your user can read.';
  }
  if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') {
    return (
      'No secret service (GNOME Keyring, KWallet) was found, so Electron encrypts stored API tokens with a ' +
      'hard-coded key: they are only obfuscated. Install and unlock a keyring, then restart Jira Mirror, to protect them.'
    );
  }
  return null;
}

/** The question asked before a token is stored where it is not properly protected, or null when it is. */
export function tokenStoragePrompt(storage: Storage, platform: NodeJS.Platform = process.platform): MessageBoxOptions | null {
  const warning = tokenStorageWarning(storage, platform);
  if (!warning) return null;
  return {
    type: 'warning',
    title: 'Jira Mirror',
    message: 'Store this API token without a keyring?',
    detail: `${warning}\n\nStore the token anyway, or cancel and add the instance after setting up a keyring?`,
    buttons: ['Store anyway', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}
