/**
 * Jira instances: add (a real one or the demo), edit, enable or disable, choose projects, test the
 * connection, list the server's projects, remove with the mirrored data. Tokens go into the secret
 * store only; nothing returned ever carries one.
 */
import { randomInt } from 'node:crypto';
import type { ConnectionTest, Instance } from '../../shared/model.ts';
import { listServerProjects, testConnection, type InstanceConnection } from '../../engine/connection.ts';
import { toSyncError } from '../../engine/errors.ts';
import { getPerformanceConfig } from '../../store/config.ts';
import {
  addInstance,
  getDemoInstance,
  getInstanceByName,
  listInstanceMirrors,
  listInstances,
  publicInstance,
  removeInstance,
  setInstanceEnabled,
  setProjectSelection,
  updateInstance,
  type InstanceRecord,
} from '../../store/instances.ts';
import { ApiFailure, notFound } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import { instanceNamed, planInstance, type BackendContext } from '../context.ts';
import { DEMO_CREDENTIALS, DEMO_URL } from '../demo.ts';

export function instanceHandlers(ctx: BackendContext) {
  const { store, secrets, events } = ctx;
  const changed = (record: InstanceRecord | null, name: string): Instance => {
    if (!record) notFound(`no instance named "${name}"`);
    events.emit('instancesChanged', {});
    return publicInstance(record);
  };
  const editable = (name: string): InstanceRecord => {
    const record = instanceNamed(ctx, name);
    if (record.isDemo) throw new ApiFailure('VALIDATION', 'the demo instance has no connection details to edit');
    return record;
  };
  /** The connection to test: a stored instance (with any field overridden) or a new one's details. */
  const connectionFor = async (input: {
    name?: string | undefined;
    url?: string | undefined;
    flavor?: 'cloud' | 'datacenter' | undefined;
    email?: string | undefined;
    token?: string | undefined;
  }): Promise<InstanceConnection> => {
    if (!input.name) return { url: input.url!, flavor: input.flavor!, email: input.email ?? null, token: input.token! };
    const planned = await planInstance(ctx, instanceNamed(ctx, input.name));
    return {
      url: input.url ?? planned.url,
      flavor: input.flavor ?? planned.flavor,
      email: input.email ?? planned.email,
      token: input.token ?? planned.token,
    };
  };

  return {
    listInstances: async () => listInstances(store).map(publicInstance),
    listInstanceMirrors: async () => listInstanceMirrors(store),
    addInstance: async (input) => {
      if (ctx.confirmTokenStorage && !(await ctx.confirmTokenStorage())) {
        throw new ApiFailure(
          'UNAVAILABLE',
          'the instance was not added: its token would be stored without a keyring to protect it. Install and unlock a keyring (GNOME Keyring, KWallet), restart Jira Mirror and add it again, or add it from the CLI with --token-env',
        );
      }
      const record = addInstance(store, {
        name: input.name,
        url: input.url,
        flavor: input.flavor,
        email: input.email ?? null,
        credential: 'stored',
      });
      try {
        secrets.set(record.id, input.token);
      } catch (error) {
        removeInstance(store, record.name);
        throw error;
      }
      events.emit('instancesChanged', {});
      return publicInstance(record);
    },
    addDemoInstance: async () => {
      const existing = getDemoInstance(store);
      if (existing) return publicInstance(existing);
      const record = addInstance(store, {
        name: getInstanceByName(store, 'demo') ? `demo-${randomInt(1000, 9999)}` : 'demo',
        url: DEMO_URL,
        flavor: 'cloud',
        email: DEMO_CREDENTIALS.email,
        credential: 'demo',
        demoSeed: 20261128,
        demoAnchor: new Date().toISOString(),
      });
      events.emit('instancesChanged', {});
      return publicInstance(record);
    },
    updateInstance: async ({ name, changes }) => {
      const record = editable(name);
      const { token, ...fields } = changes;
      // A new token replaces whatever the instance read before (an environment variable included).
      if (token !== undefined) secrets.set(record.id, token);
      const credential = token !== undefined ? { credential: 'stored' as const, tokenEnv: null } : {};
      return changed(updateInstance(store, name, { ...fields, ...credential }), name);
    },
    setInstanceEnabled: async ({ name, enabled }) => changed(setInstanceEnabled(store, name, enabled), name),
    selectProjects: async ({ name, projects }) => changed(setProjectSelection(store, name, projects), name),
    testConnection: async (input): Promise<ConnectionTest> => {
      let connection: InstanceConnection;
      try {
        connection = await connectionFor(input);
      } catch (error) {
        if (error instanceof ApiFailure && error.code === 'VALIDATION')
          return { ok: false, category: 'Authentication', message: error.message };
        throw error;
      }
      return testConnection(connection, getPerformanceConfig(store));
    },
    listServerProjects: async ({ name }) => {
      const record = instanceNamed(ctx, name);
      try {
        const projects = await listServerProjects(await connectionFor({ name }), getPerformanceConfig(store));
        const chosen = record.projectKeys ? new Set(record.projectKeys) : null;
        return projects.map((p) => ({ key: p.key, name: p.name, selected: chosen ? chosen.has(p.key) : true }));
      } catch (error) {
        if (error instanceof ApiFailure) throw error;
        const failure = toSyncError(error);
        throw new ApiFailure('UNAVAILABLE', `could not list the projects of "${name}" (${failure.category}): ${failure.message}`);
      }
    },
    removeInstance: async ({ name }) => {
      const record = instanceNamed(ctx, name);
      const removed = removeInstance(store, name);
      secrets.delete(record.id);
      events.emit('instancesChanged', {});
      return { removed };
    },
  } satisfies Partial<Handlers>;
}
