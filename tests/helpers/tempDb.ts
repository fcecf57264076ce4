import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder for one test's database files; `cleanup` removes it. */
export function tempDir(prefix = 'jira-mirror-test-'): { dir: string; dbFile: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbFile: join(dir, 'mirror.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
