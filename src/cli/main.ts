/**
 * `jira-mirror`: the engine and the store, headless, for cron jobs, scripts and tests.
 * Exit codes: 0 success, 1 the sync (or lookup) failed or was partial, 2 bad usage.
 */
import { openBackend } from '../service/openBackend.ts';
import { defaultDbFile } from '../service/paths.ts';
import { UsageError } from './args.ts';
import { CommandError, type CliIo, type WithBackend } from './command.ts';
import { analyticsCommand } from './analyticsCommands.ts';
import { configCommand } from './configCommands.ts';
import { demoCommand, simulatorCommand, webCommand } from './localCommands.ts';
import { historyCommand, instanceCommand, issuesCommand, showCommand, statsCommand, syncCommand } from './mirrorCommands.ts';
import { metricsCommand, reportCommand, retentionCommand, webhookCommand } from './opsCommands.ts';

export { CommandError, type CliIo } from './command.ts';

export const USAGE = `Usage: jira-mirror [--db FILE] COMMAND

Commands:
  instance add --name NAME --url URL --flavor cloud|datacenter [--email EMAIL] (--token-env VAR | --token-stdin)
  instance list [--json]
  instance remove NAME
  sync [--instance NAME]... [--project KEY]... [--sweep] [--json]
  history [--status S] [--from ISO] [--to ISO] [--limit N] [--offset N] [--json] [--csv FILE [--force]]
  show RUN_ID [--json] [--csv FILE [--force]]                 # --csv: the run's project breakdown
  stats [--days N] [--json]
  issues [--instance NAME] [--project KEY] [--json] [--csv FILE [--force]]
  config get performance|retention|metrics [--json]
  config set performance|retention|metrics KEY=VALUE...
  config test performance [KEY=VALUE...] [--probe] [--json]   # dry run: estimate, warnings; saves nothing
  config history [--type performance|retention|metrics|webhooks|schedule] [--limit N] [--json]
  retention apply [--dry-run] [--json]                        # summarize finished days, prune, give space back
  metrics                                                     # Prometheus text format, once
  metrics serve [--port N]                                    # on 127.0.0.1 until Ctrl-C
  webhook add --url URL --event E... (--secret-env VAR | --secret-stdin)
  webhook list [--json] | webhook remove ID | webhook test ID [--json] | webhook deliveries [ID] [--json]
  report --from ISO --to ISO --out FILE.pdf [--force]
  analytics health|failures|best-time|predict|anomalies|recommendations [--days N] [--instance NAME] [--project KEY] [--json]
  analytics apply ID [--json]                                 # apply a recommendation (audited)
  simulator [--port N] [--projects N] [--issues N] [--latency-ms N] [--seed N] [--flavor cloud|datacenter]
            [--faults JSON] [--rate-limit REQ_PER_S] [--index-lag-ms N] [--search-resolution millisecond|minute]
            [--server-version X.Y.Z] [--prerender]         # --prerender: near-free pages, ~7.5 KB per issue
  demo [--json]
  web [--port N]

The database defaults to the desktop app's; JIRA_MIRROR_DB or --db overrides it.
Exit codes: 0 success, 1 failed or partial sync, 2 bad usage.`;

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatchCommand(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`jira-mirror: ${error.message} (see jira-mirror --help)`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.err(`jira-mirror: ${error.message}`);
      return error.exitCode;
    }
    io.err(`jira-mirror: ${(error as Error).message}`);
    return 1;
  }
}

async function dispatchCommand(argv: string[], io: CliIo): Promise<number> {
  // An empty JIRA_MIRROR_DB counts as unset.
  const envDb = io.env.JIRA_MIRROR_DB || undefined;
  let dbFile = envDb ?? defaultDbFile(io.env);
  let args = argv;
  if (args[0] === '--db') {
    if (!args[1]) throw new UsageError('--db needs a file path');
    dbFile = args[1];
    args = args.slice(2);
  } else if (args[0]?.startsWith('--db=')) {
    dbFile = args[0].slice(5);
    args = args.slice(1);
  }
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const withBackend: WithBackend = async (fn, host = {}) => {
    const backend = openBackend({ dbFile, initiator: 'cli', env: io.env, ...host });
    try {
      return await fn(backend);
    } finally {
      await backend.close();
    }
  };
  switch (command) {
    case 'instance':
      return instanceCommand(rest, io, withBackend);
    case 'sync':
      return syncCommand(rest, io, withBackend);
    case 'history':
      return historyCommand(rest, io, withBackend);
    case 'show':
      return showCommand(rest, io, withBackend);
    case 'stats':
      return statsCommand(rest, io, withBackend);
    case 'issues':
      return issuesCommand(rest, io, withBackend);
    case 'config':
      return configCommand(rest, io, withBackend);
    case 'retention':
      return retentionCommand(rest, io, withBackend);
    case 'metrics':
      return metricsCommand(rest, io, withBackend);
    case 'webhook':
      return webhookCommand(rest, io, withBackend);
    case 'report':
      return reportCommand(rest, io, withBackend);
    case 'analytics':
      return analyticsCommand(rest, io, withBackend);
    case 'simulator':
      return simulatorCommand(rest, io);
    case 'demo':
      return demoCommand(rest, io, dbFile, argv.includes('--db') || argv.some((a) => a.startsWith('--db=')) || envDb !== undefined);
    case 'web':
      return webCommand(rest, io, withBackend);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
