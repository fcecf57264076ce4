/**
 * What every area's handlers share: the store, the secret store, the event hub, the sync host, the
 * demo simulator and where long reads run, plus finding instances by name and resolving their credentials for the engine.
 */
import type { Initiator } from '../shared/model.ts';
import type { SyncHost } from '../engine/host.ts';
import type { PlannedInstance } from '../engine/syncManager.ts';
import type { Store } from '../store/db.ts';
import { getInstanceByName, listInstances, type InstanceRecord } from '../store/instances.ts';
import { ApiFailure, notFound } from './apiErrors.ts';
import { DEMO_CREDENTIALS, type DemoSimulator } from './demo.ts';
import type { EventHub } from './events.ts';
import type { Reads } from './reads.ts';
import type { SecretStore } from './secrets.ts';

export interface BackendContext {
  store: Store;
  secrets: SecretStore;
  events: EventHub;
  host: SyncHost;
  demo: DemoSimulator;
  /** Where the long reads run (see BackendOptions.readWorkerUrl). */
  reads: Reads;
  initiator: Initiator;
  env: NodeJS.ProcessEnv;
  /** Asked before a token is stored where no keyring protects it (see BackendOptions). */
  confirmTokenStorage?: () => Promise<boolean>;
}

export function instanceNamed(ctx: BackendContext, name: string): InstanceRecord {
  return getInstanceByName(ctx.store, name) ?? notFound(`no instance named "${name}"`);
}

/** The named instances, or for none named every enabled one. */
export function selectInstances(ctx: BackendContext, names: string[] | undefined): InstanceRecord[] {
  if (names && names.length > 0) return names.map((name) => instanceNamed(ctx, name));
  const all = listInstances(ctx.store);
  if (all.length === 0) throw new ApiFailure('VALIDATION', 'no Jira instance is configured yet: add one (or the demo instance) first');
  const enabled = all.filter((instance) => instance.enabled);
  if (enabled.length === 0) throw new ApiFailure('VALIDATION', 'every instance is disabled: enable one under Instances (or name it) first');
  return enabled;
}

/** Where an instance's token comes from: the stored secret, an environment variable, or the demo. */
export function tokenOf(ctx: BackendContext, record: InstanceRecord): string {
  if (record.credential === 'demo') return DEMO_CREDENTIALS.apiToken;
  if (record.credential === 'env') {
    const token = record.tokenEnv ? ctx.env[record.tokenEnv] : undefined;
    if (!token) {
      throw new ApiFailure(
        'VALIDATION',
        `instance "${record.name}" reads its token from the environment variable ${record.tokenEnv}, which is not set`,
      );
    }
    return token;
  }
  const token = ctx.secrets.get(record.id);
  if (!token) throw new ApiFailure('VALIDATION', `no token is stored for instance "${record.name}": remove it and add it again`);
  return token;
}

/** The instance as the engine needs it: its real URL (the demo's is started on demand), token and project choice. */
export async function planInstance(ctx: BackendContext, record: InstanceRecord): Promise<PlannedInstance> {
  const url = record.credential === 'demo' ? await ctx.demo.url(record.demoSeed ?? 1, record.demoAnchor ?? record.createdAt) : record.url;
  return {
    id: record.id,
    name: record.name,
    flavor: record.flavor,
    email: record.email,
    url,
    token: tokenOf(ctx, record),
    projects: record.projectKeys,
  };
}
