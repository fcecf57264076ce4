/** `config get|set|test performance` (and the other settings' `config` commands, handed on to opsCommands.ts). */
import { type PerformanceConfig } from '../shared/model.ts';
import type { SyncEstimate } from '../shared/model.ts';
import {
  PERFORMANCE_KEYS,
  PERFORMANCE_SETTINGS,
  performanceConfigSchema,
  settingKey,
  settingName,
  type PerformanceKey,
} from '../shared/performance.ts';
import { describeZodError } from '../service/openBackend.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../store/config.ts';
import { parse, UsageError } from './args.ts';
import { json, unwrap, type CliIo, type WithBackend } from './command.ts';
import { configHistoryCommand, settingsCommand } from './opsCommands.ts';
import { estimateSummary, table } from './format.ts';

/** Accepts the seed's snake_case names (batch_size) as well as camelCase (batchSize). */
function performanceKey(raw: string): PerformanceKey {
  const camel = settingKey(raw);
  if (!camel) {
    throw new UsageError(`unknown performance setting "${raw}"; known: ${PERFORMANCE_KEYS.map(settingName).join(', ')}`);
  }
  return camel;
}

export async function configCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, type, ...rest] = args;
  if (sub === 'history') return configHistoryCommand(args.slice(1), io, withBackend);
  if ((type === 'retention' || type === 'metrics') && sub !== 'test') return settingsCommand(sub, type, rest, io, withBackend);
  if (type !== 'performance') {
    throw new UsageError(`config ${sub ?? ''} needs a config type: performance, retention or metrics (or use config history)`);
  }
  if (sub === 'get') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withBackend(async (backend) => {
      const config = getPerformanceConfig(backend.store);
      if (values.json) io.out(json(config));
      else
        io.out(
          table(
            ['SETTING', 'VALUE', 'RANGE', 'MEANING'],
            PERFORMANCE_KEYS.map((key) => {
              const setting = PERFORMANCE_SETTINGS[key];
              const range = setting.kind === 'boolean' ? 'true|false' : `${setting.min}..${setting.max} ${setting.unit}`;
              return [settingName(key), String(config[key]), range, setting.explanation];
            }),
          ),
        );
      return 0;
    });
  }
  if (sub === 'set' || sub === 'test') {
    const { values, positionals } = parse(rest, { probe: { type: 'boolean' }, json: { type: 'boolean' } }, Number.MAX_SAFE_INTEGER);
    if (sub === 'set' && (values.probe || values.json)) throw new UsageError('--probe and --json go with config test');
    if (sub === 'set' && positionals.length === 0) throw new UsageError('config set performance needs KEY=VALUE pairs');
    const changes = parseSettingChanges(positionals);
    return withBackend(async (backend) => {
      const next = { ...getPerformanceConfig(backend.store), ...changes } as PerformanceConfig;
      const checked = performanceConfigSchema.safeParse(next);
      if (!checked.success) throw new UsageError(describeZodError(checked.error));
      if (sub === 'test') {
        const estimate = unwrap<SyncEstimate>(
          await backend.dispatch('estimateSync', { config: checked.data, probe: Boolean(values.probe) }),
        );
        io.out(values.json ? json(estimate) : estimateSummary(estimate));
        return 0;
      }
      savePerformanceConfig(backend.store, checked.data, 'cli');
      io.out(
        `saved: ${Object.entries(changes)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`,
      );
      return 0;
    });
  }
  throw new UsageError(`unknown config subcommand "${sub ?? ''}" (use get, set or test)`);
}

function parseSettingChanges(pairs: string[]): Partial<Record<PerformanceKey, number | boolean>> {
  const changes: Partial<Record<PerformanceKey, number | boolean>> = {};
  for (const pair of pairs) {
    const match = /^([\w]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`expected KEY=VALUE, got "${pair}"`);
    const key = performanceKey(match[1]!);
    const raw = match[2]!;
    if (PERFORMANCE_SETTINGS[key].kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`${match[1]} must be true or false, got "${raw}"`);
      changes[key] = raw === 'true';
    } else {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${match[1]} must be a number, got "${raw}"`);
      changes[key] = n;
    }
  }
  return changes;
}
