import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_WORKER_URL } from '../../src/engine/host.ts';
import { startCheckpointer } from '../../src/store/checkpointer.ts';
import { openStore } from '../../src/store/db.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanup = () => {};
afterEach(() => cleanup());

describe('the checkpointer thread', () => {
  it('copies what the writer commits into the database file while the writer only appends to the log', async () => {
    const temp = tempDir();
    const store = openStore({ file: temp.dbFile });
    cleanup = () => {
      store.close();
      temp.cleanup();
    };
    store.sqlite.pragma('wal_autocheckpoint = 0');
    store.sqlite.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = store.sqlite.prepare('INSERT INTO blobs (body) VALUES (?)');
    const write = store.sqlite.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run('x'.repeat(8000));
    });
    write();
    const before = statSync(temp.dbFile).size;
    // Without a checkpoint the 4 MB stay in the log, not the file.
    expect(before).toBeLessThan(1_000_000);

    const checkpointer = startCheckpointer(DEFAULT_ENGINE_WORKER_URL, temp.dbFile);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    write();
    await checkpointer.stop();
    expect(statSync(temp.dbFile).size).toBeGreaterThan(8_000_000);
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: 1000 });
  });
});
