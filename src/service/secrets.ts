/**
 * Where stored API tokens live: a file beside the database (mode 0600), never the database itself.
 * The desktop app passes a cipher backed by Electron's safeStorage (OS keychain); the CLI and the
 * browser preview store tokens like git's credential store does, in a file only the user can read.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface SecretStore {
  get(instanceId: string): string | null;
  set(instanceId: string, token: string): void;
  delete(instanceId: string): void;
}

/** Encrypts tokens at rest (Electron's safeStorage); absent under plain Node. */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(encrypted: string): string;
}

type Entry = { plain: string } | { encrypted: string };

export class SecretUnavailableError extends Error {}

export class FileSecretStore implements SecretStore {
  readonly #file: string;
  readonly #cipher: SecretCipher | null;

  constructor(file: string, cipher: SecretCipher | null = null) {
    this.#file = file;
    this.#cipher = cipher;
  }

  get(instanceId: string): string | null {
    const entry = this.#read()[instanceId];
    if (!entry) return null;
    if ('plain' in entry) return entry.plain;
    if (!this.#cipher) {
      throw new SecretUnavailableError(
        'this token was saved encrypted by the desktop app and can only be read there; for the CLI, re-add the instance with --token-env',
      );
    }
    return this.#cipher.decrypt(entry.encrypted);
  }

  set(instanceId: string, token: string): void {
    const entries = this.#read();
    entries[instanceId] = this.#cipher ? { encrypted: this.#cipher.encrypt(token) } : { plain: token };
    this.#write(entries);
  }

  delete(instanceId: string): void {
    const entries = this.#read();
    if (!(instanceId in entries)) return;
    delete entries[instanceId];
    this.#write(entries);
  }

  #read(): Record<string, Entry> {
    if (!existsSync(this.#file)) return {};
    return JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, Entry>;
  }

  #write(entries: Record<string, Entry>): void {
    const temp = `${this.#file}.tmp`;
    writeFileSync(temp, JSON.stringify(entries, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.#file);
  }
}
