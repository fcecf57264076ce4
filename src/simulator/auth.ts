/**
 * Who may call the REST API: the Authorization header checked against the configured credentials, and
 * the 401 each flavour answers otherwise (Cloud: JSON or plain text; Data Center: its HTML login page).
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Reply } from './reply.ts';
import type { SimulatorAuth, SimulatorFlavor } from './types.ts';

export function authenticate(req: IncomingMessage, a: SimulatorAuth): 'ok' | 'missing' | 'bad' {
  const h = req.headers.authorization;
  if (!h) return 'missing';
  const sp = h.indexOf(' ');
  const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
  const cred = sp < 0 ? '' : h.slice(sp + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(cred, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = i < 0 ? decoded : decoded.slice(0, i);
    const pass = i < 0 ? '' : decoded.slice(i + 1);
    if ('email' in a) return user === a.email && pass === a.apiToken ? 'ok' : 'bad';
    if (a.username !== undefined && a.password !== undefined) return user === a.username && pass === a.password ? 'ok' : 'bad';
    return 'bad';
  }
  if (scheme === 'bearer' && 'pat' in a) return cred === a.pat ? 'ok' : 'bad';
  return 'bad';
}

export function unauthorized(kind: 'missing' | 'bad', flavor: SimulatorFlavor, url: string): Reply {
  const realm = `OAuth realm="${encodeURIComponent(url)}"`;
  if (flavor === 'datacenter') {
    const r = html401();
    r.headers = { 'WWW-Authenticate': realm, 'X-Seraph-LoginReason': kind === 'bad' ? 'AUTHENTICATED_FAILED' : 'AUTHENTICATION_DENIED' };
    return r;
  }
  if (kind === 'missing') {
    return {
      status: 401,
      body: JSON.stringify({
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      }),
      headers: { 'WWW-Authenticate': realm },
    };
  }
  return {
    status: 401,
    body: 'Client must be authenticated to access this resource.',
    contentType: 'text/plain;charset=UTF-8',
    headers: { 'WWW-Authenticate': realm },
  };
}

export function html401(): Reply {
  return {
    status: 401,
    contentType: 'text/html;charset=UTF-8',
    body:
      '<!DOCTYPE html>\n<html lang="en"><head><title>Unauthorized (401)</title><meta charset="utf-8"></head>' +
      '<body id="jira" class="aui-layout aui-style-default page-type-message"><div class="aui-page-panel"><section>' +
      '<h1>Unauthorized (401)</h1><p>Encountered a <code>&quot;401 - Unauthorized&quot;</code> error while loading this page.</p>' +
      '<p>Basic Authentication Failure - Reason : AUTHENTICATED_FAILED</p></section></div></body></html>',
  };
}
