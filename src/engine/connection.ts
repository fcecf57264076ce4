/**
 * Talking to an instance outside a sync: the connection test (which server, which user, or a
 * categorized reason it failed) and the server's project list, for choosing what to mirror.
 * Reads only; quick to give up (one retry, a short timeout), since a person is waiting.
 */
import type { ConnectionTest, PerformanceConfig } from '../shared/model.ts';
import { SyncError, toSyncError } from './errors.ts';
import { RequestStats } from './http.ts';
import { connectInstance, nonEmptyText, type JiraProject } from './jira.ts';

export interface InstanceConnection {
  url: string;
  flavor: 'cloud' | 'datacenter';
  email: string | null;
  token: string;
}

const MAX_TEST_RETRIES = 1;
const MAX_TEST_TIMEOUT_S = 20;

function interactive(config: PerformanceConfig): PerformanceConfig {
  return {
    ...config,
    maxRetries: Math.min(config.maxRetries, MAX_TEST_RETRIES),
    requestTimeout: Math.min(config.requestTimeout, MAX_TEST_TIMEOUT_S),
  };
}

export async function testConnection(
  instance: InstanceConnection,
  config: PerformanceConfig,
  signal?: AbortSignal,
): Promise<ConnectionTest> {
  const { http, client } = connectInstance(instance, () => interactive(config));
  const stats = new RequestStats();
  try {
    // /myself first: it is the call that proves the credentials.
    const me = (await client.myself(stats, signal)) as Record<string, unknown>;
    const server = await client.serverInfo(stats, signal);
    return {
      ok: true,
      deploymentType: server.deploymentType ?? (instance.flavor === 'cloud' ? 'Cloud' : 'Server'),
      version: server.version,
      serverTitle: server.serverTitle,
      user: nonEmptyText(me.displayName) ?? nonEmptyText(me.name) ?? nonEmptyText(me.accountId) ?? 'unknown user',
      email: nonEmptyText(me.emailAddress),
      timeZone: nonEmptyText(me.timeZone),
    };
  } catch (error) {
    const failure = toSyncError(error);
    return { ok: false, category: failure.category, message: http.redact(failure.message) };
  } finally {
    await http.close();
  }
}

/** Every project the credentials can see, as the server lists them. Throws a SyncError on failure. */
export async function listServerProjects(
  instance: InstanceConnection,
  config: PerformanceConfig,
  signal?: AbortSignal,
): Promise<JiraProject[]> {
  const { http, client } = connectInstance(instance, () => interactive(config));
  try {
    return await client.listProjects(new RequestStats(), signal);
  } catch (error) {
    const failure = toSyncError(error);
    throw new SyncError(failure.category, http.redact(failure.message), { status: failure.status });
  } finally {
    await http.close();
  }
}
