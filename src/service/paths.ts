/**
 * Where the desktop app keeps its data, computed without Electron so the CLI and the browser
 * preview open the same database. Matches Electron's `app.getPath('userData')` for productName
 * "Jira Mirror" on each platform.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'Jira Mirror';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

/** The database file: `JIRA_MIRROR_DB` overrides the desktop app's default. */
export function defaultDbFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.JIRA_MIRROR_DB || join(defaultDataDir(env), 'jira-mirror.db');
}

/** Stored tokens live beside the database, never inside it. */
export function secretsFileFor(dbFile: string): string {
  return `${dbFile}.secrets.json`;
}
