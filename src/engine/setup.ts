/**
 * A run's setup of one instance: /myself and the project list, and which of the listed projects
 * the run syncs. An instance that fails here is recorded whole and its projects are not attempted.
 * serverInfo goes out beside them for the version the instance runs, and never fails anything.
 */
import { SyncError, toSyncError } from './errors.ts';
import type { JiraHttp, RequestStats } from './http.ts';
import type { JiraClient, JiraProject } from './jira.ts';
import type { InstanceCapabilities } from './projectSync.ts';
import type { Failure, PlannedInstance } from './syncManager.ts';

export interface ProjectTask {
  instance: PlannedInstance;
  client: JiraClient;
  capabilities: InstanceCapabilities;
  project: JiraProject;
}

export interface InstanceSetup {
  tasks: ProjectTask[];
  failure: Failure | null;
  /**
   * The version serverInfo reported, asked for once the instance's projects are done: a call still
   * pending then is given up (null, as when it could not be read), so it never holds up the run's end.
   */
  jiraVersion(): Promise<string | null>;
}

/** Connects to an instance and lists the projects to sync; an instance that fails is recorded whole. */
export async function setUpInstance(
  instance: PlannedInstance,
  http: JiraHttp,
  client: JiraClient,
  wantedKeys: string[] | undefined,
  stats: RequestStats,
  signal: AbortSignal,
): Promise<InstanceSetup> {
  const capabilities: InstanceCapabilities = { countUnavailable: null };
  // Not awaited here: no project waits for it, whatever it takes.
  const givenUp = new AbortController();
  const version = client.serverInfo(stats, AbortSignal.any([signal, givenUp.signal])).then(
    (info) => info.version,
    () => null,
  );
  const jiraVersion = () => {
    givenUp.abort();
    return version;
  };
  try {
    // /myself beside the project list: bad credentials fail the instance at once, before any project
    // work, and a good instance waits one round trip, not two.
    const [me, listed] = await Promise.allSettled([client.myself(stats, signal), client.listProjects(stats, signal)]);
    // What /myself says comes first: it names the credentials' problem best.
    if (me.status === 'rejected') throw me.reason;
    if (listed.status === 'rejected') throw listed.reason;
    const chosen = instance.projects ? new Set(instance.projects) : null;
    const wanted = wantedKeys && wantedKeys.length > 0 ? new Set(wantedKeys) : null;
    const tasks = listed.value
      .filter((project) => (!chosen || chosen.has(project.key)) && (!wanted || wanted.has(project.key)))
      .map((project) => ({ instance, client, capabilities, project }));
    return { tasks, failure: null, jiraVersion };
  } catch (error) {
    if (signal.aborted) throw new SyncError('Cancelled', 'the sync was stopped');
    const failure = toSyncError(error);
    return {
      tasks: [],
      jiraVersion,
      failure: { scope: instance.name, error: new SyncError(failure.category, `${instance.name}: ${http.redact(failure.message)}`) },
    };
  }
}

/**
 * A project asked for by key but listed by no instance is still attempted (on the first instance
 * that listed any): its search fails with Jira's own answer (400 for a deleted or invisible
 * project), recorded on the project like any other failure.
 */
export function unlistedTasks(wantedKeys: string[] | undefined, setups: InstanceSetup[]): ProjectTask[] {
  const fallback = setups.find((setup) => setup.tasks.length > 0)?.tasks[0];
  if (!fallback || !wantedKeys) return [];
  const found = new Set(setups.flatMap((setup) => setup.tasks.map((task) => task.project.key)));
  return [...new Set(wantedKeys)].filter((key) => !found.has(key)).map((key) => ({ ...fallback, project: { id: '', key, name: key } }));
}
