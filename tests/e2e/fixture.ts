/**
 * What every end-to-end file needs: a real back end on a temp SQLite file behind the browser
 * preview server, Debian's Chromium through playwright-core, page errors collected, and
 * screenshots saved under test-results/screenshots/ (and docs/screenshots/ with UPDATE_SCREENSHOT=1).
 * Fails loudly, never skips, when the built renderer or Chromium is missing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Backend, BackendOptions } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { DEFAULT_READ_WORKER_URL } from '../../src/service/readThread.ts';
import { startPreviewServer, type PreviewServer } from '../../src/web/previewServer.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WAIT = { timeout: 20_000 };

export interface E2E {
  backend: Backend;
  server: PreviewServer;
  page: Page;
  dir: string;
  /** Errors the page reported (uncaught exceptions, console errors, HTTP errors). */
  pageErrors: string[];
  /** Saves a screenshot of the viewport as `<name>.png`. */
  screenshot(name: string): Promise<void>;
  /** Opens a route of the app (`#/history?status=failed`) and waits for it to render. */
  open(hash: string): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(
  options: {
    viewport?: { width: number; height: number };
    env?: NodeJS.ProcessEnv;
    /** Host features of the app and `jira-mirror web` (the schedule, the metrics endpoint); off by default. */
    host?: Partial<Pick<BackendOptions, 'schedule' | 'servesMetrics'>>;
  } = {},
): Promise<E2E> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npx electron-vite build\` before the E2E tests.`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); never \`npx playwright install\`.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'jm-e2e-'));
  const backend = openBackend({
    dbFile: join(dir, 'mirror.db'),
    initiator: 'preview',
    env: options.env ?? {},
    // As `jira-mirror web` runs it: the issue browser's reads on the read thread.
    ...(DEFAULT_READ_WORKER_URL ? { readWorkerUrl: DEFAULT_READ_WORKER_URL } : {}),
    ...options.host,
  });
  const server = await startPreviewServer({ backend, port: 0, rendererDir: RENDERER_DIR });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (error) {
    await server.close();
    await backend.close();
    throw error;
  }
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('console', (message) => {
    // A meta CSP cannot carry frame-ancestors (the HTTP header does); Chromium says so at error level.
    if (message.type() === 'error' && !message.text().includes('frame-ancestors')) pageErrors.push(message.text());
  });
  const shots = join(ROOT, 'test-results/screenshots');
  mkdirSync(shots, { recursive: true });
  return {
    backend,
    server,
    page,
    dir,
    pageErrors,
    async screenshot(name) {
      const file = join(shots, `${name}.png`);
      // Transitions finished: a screenshot right after a theme switch would catch buttons halfway.
      await page.screenshot({ path: file, animations: 'disabled' });
      if (process.env.UPDATE_SCREENSHOT === '1') {
        mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
        copyFileSync(file, join(ROOT, 'docs/screenshots', `${name}.png`));
      }
    },
    async open(hash) {
      await page.evaluate((target) => {
        window.location.hash = target;
      }, hash);
      await page.locator('#main').waitFor();
    },
    async close() {
      await browser.close();
      await server.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The data of a call straight from the back end (what the database says), for comparing with the screen. */
export async function backendData<T>(backend: Backend, name: string, input: unknown): Promise<T> {
  const result = await backend.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}
