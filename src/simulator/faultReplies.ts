/** What a fault (faults.ts) or the token bucket answers in place of the route: Jira's 429s with their headers, a gateway's 5xx. */
import { jiraError, type Reply } from './reply.ts';
import type { SimServer } from './server.ts';
import type { FaultRule } from './types.ts';

export function rateLimited(sim: SimServer, f: FaultRule): Reply {
  const quota = f.kind === 'quota';
  const ra = f.retryAfterSeconds ?? (quota ? 1800 : 1);
  const headers: Record<string, string | number> = {
    'Retry-After': ra,
    'X-RateLimit-Limit': sim.bucket?.config.burst ?? (quota ? 65000 : 100),
    'X-RateLimit-Remaining': 0,
    'X-RateLimit-Reset': new Date(sim.now() + ra * 1000).toISOString(),
    'RateLimit-Reason': quota ? 'jira-quota-tenant-based' : 'jira-burst-based',
    'X-RateLimit-NearLimit': 'true',
  };
  if (sim.flavor === 'datacenter') {
    headers['X-RateLimit-FillRate'] = sim.bucket?.config.requestsPerSecond ?? 10;
    headers['X-RateLimit-Interval-Seconds'] = 1;
  }
  return { status: 429, body: JSON.stringify({ errorMessages: ['Rate limit exceeded.'], errors: {} }), headers };
}

export function statusFault(fault: FaultRule): Reply {
  const status = fault.status ?? 503;
  const msg =
    status === 500 ? 'Internal server error' : status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Gateway Timeout';
  const r = jiraError(status, msg);
  if (fault.retryAfterSeconds !== undefined && status === 503) r.headers = { 'Retry-After': fault.retryAfterSeconds };
  return r;
}
