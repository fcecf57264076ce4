/**
 * Opens the SQLite history store: pragmas, migrations, and the drizzle handle every repository uses.
 * Electron-free: the desktop app passes a file in its user-data folder, tests pass a temp file.
 */
import Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { betterSqlite, migrator } from './orm.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Store {
  db: Db;
  /** The raw connection, for hot paths (issue upserts) and SQL aggregates. */
  sqlite: Database.Database;
  file: string;
  /** A prepared statement, compiled once per connection and reused (hot paths run it per page). */
  statement(sql: string): Database.Statement;
  close(): void;
}

export interface OpenStoreOptions {
  file: string;
  /** Folder of drizzle's generated SQL; defaults to the repository's `drizzle/`. */
  migrationsFolder?: string;
  readonly?: boolean;
}

export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export function openStore({ file, migrationsFolder = DEFAULT_MIGRATIONS_FOLDER }: OpenStoreOptions): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    // Several connections share the file (UI reads, the sync worker writes, a CLI run beside the app).
    sqlite.pragma('busy_timeout = 10000');
    // Mirrored issues carry their raw JSON (several KB each): larger pages spare SQLite long overflow
    // chains. Takes effect only when the file is created (before WAL is switched on).
    sqlite.pragma('page_size = 16384');
    // Retention frees pages; incremental vacuum hands them back to the file system in steps. Like the
    // page size, this only takes on a new file (an older one is converted by `retention apply`).
    sqlite.pragma('auto_vacuum = INCREMENTAL');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // drizzle runs migrations inside a transaction, where foreign_keys=OFF is ignored and a table
    // rebuild could cascade-delete child rows: switch it off on the connection first, check after.
    sqlite.pragma('foreign_keys = OFF');
    const db = betterSqlite.drizzle(sqlite, { schema });
    migrator.migrate(db, { migrationsFolder });
    const violations = sqlite.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) throw new Error(`database has ${violations.length} foreign-key violations after migration`);
    sqlite.pragma('foreign_keys = ON');
    return storeOf(sqlite, file, db);
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * One more connection to a database another connection already opened (and migrated): for a
 * thread that writes beside the one that opened it (the engine's page thread).
 */
export function connectStore(file: string): Store {
  const sqlite = new Database(file, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return storeOf(sqlite, file, betterSqlite.drizzle(sqlite, { schema }));
}

function storeOf(sqlite: Database.Database, file: string, db: Db): Store {
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = sqlite.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  return { db, sqlite, file, statement, close: () => sqlite.close() };
}

export function nowIso(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
