/**
 * Serves the built renderer (out/renderer) on `app://jira-mirror/`, a privileged standard scheme,
 * so the page has a real origin, a CSP header and no file:// access. The file resolution is a pure
 * function with a path-traversal guard; the handler takes its file reader as a parameter.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './appOrigin.ts';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../service/rendererAssets.ts';

export { CONTENT_SECURITY_POLICY };

/** Must run before `app` is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The file under `rootDir` that `requestUrl` names, or null when the URL is not ours or tries to
 * leave `rootDir`. The raw (not URL-normalised) path is checked, so `..` segments are refused
 * whether literal, percent-encoded (`%2e%2e`, `..%2f`) or double-encoded; backslashes and NUL too.
 * `/` maps to index.html.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)([^?#]*)/i.exec(requestUrl);
  if (!match) return null;
  const [, scheme = '', host = '', rawPath = ''] = match;
  if (scheme.toLowerCase() !== APP_SCHEME || host.toLowerCase() !== APP_HOST) return null;

  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null; // malformed percent-encoding
  }
  // A second layer of encoding is never produced by our own pages: refuse it rather than guess.
  if (/%[0-9a-f]{2}/i.test(path)) return null;
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  if (segments.some((segment) => /^[a-z]:$/i.test(segment))) return null; // drive letters (Windows)

  const root = resolve(rootDir);
  const file = resolve(root, segments.length === 0 ? 'index.html' : segments.join(sep));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

export type ReadFile = (file: string) => Promise<Uint8Array>;

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY },
  });
}

/**
 * The `protocol.handle('app', …)` handler: GET/HEAD only; 403 for refused paths, 404 for missing
 * files, except that an extension-less path falls back to index.html (client-side routes).
 */
export function createAppProtocolHandler(rootDir: string, readFile: ReadFile = fsReadFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
    const file = resolveAppFile(rootDir, request.url);
    if (!file) return textResponse(403, 'forbidden');

    const candidates = extname(file) === '' ? [file, resolve(rootDir, 'index.html')] : [file];
    for (const candidate of candidates) {
      let body: Uint8Array;
      try {
        body = await readFile(candidate);
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type': contentTypeOf(candidate),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    }
    return textResponse(404, 'not found');
  };
}

/** Must run after `app` is ready. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir));
}
