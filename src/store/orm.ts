/**
 * drizzle-orm, loaded through CommonJS. Its package.json carries a ~180 KB `exports` map, and Node's
 * ESM resolver re-reads it for each of drizzle's modules: importing drizzle as ESM cost a thread
 * ~180 MB of transient heap (peak RSS 239 MB against 61 MB through `require`, measured on Node 24),
 * and the engine process has two threads that load it. Everything in the app takes drizzle from here.
 */
import { createRequire } from 'node:module';
import type * as Orm from 'drizzle-orm';
import type * as BetterSqlite from 'drizzle-orm/better-sqlite3';
import type * as Migrator from 'drizzle-orm/better-sqlite3/migrator';
import type * as SqliteCore from 'drizzle-orm/sqlite-core';

// drizzle-kit loads the schema as CommonJS (where `require` exists and `import.meta.url` does not).
const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);

export const orm = load('drizzle-orm') as typeof Orm;
export const sqliteCore = load('drizzle-orm/sqlite-core') as typeof SqliteCore;
export const betterSqlite = load('drizzle-orm/better-sqlite3') as typeof BetterSqlite;
export const migrator = load('drizzle-orm/better-sqlite3/migrator') as typeof Migrator;
