/**
 * `analytics health|failures|best-time|predict|anomalies|recommendations [--days N] [--instance NAME]
 * [--project KEY] [--json]` and `analytics apply ID`: the analytics answers in the terminal (or as
 * camelCase JSON), and applying a recommendation through the audited config path.
 */
import type { AnomalyList, BestTime, DurationPrediction, FailurePatterns, HealthReport, HealthScore } from '../shared/analytics.ts';
import { analyticsScopeSchema } from '../shared/analyticsContract.ts';
import type { PerformanceConfig, Recommendation, Recommendations } from '../shared/model.ts';
import { settingName, type PerformanceKey } from '../shared/performance.ts';
import { integer, parse, UsageError } from './args.ts';
import { json, unwrap, validated, type CliIo, type WithBackend } from './command.ts';
import { duration, table } from './format.ts';

const ANSWERS = {
  health: 'getHealth',
  failures: 'getFailurePatterns',
  'best-time': 'getBestTime',
  predict: 'predictDuration',
  anomalies: 'listAnomalies',
  recommendations: 'getRecommendations',
} as const;
type Answer = keyof typeof ANSWERS;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

export async function analyticsCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'apply') return applyCommand(rest, io, withBackend);
  if (!sub || !(sub in ANSWERS)) throw new UsageError(`analytics ${sub ?? ''}: use ${[...Object.keys(ANSWERS), 'apply ID'].join(', ')}`);
  const { values } = parse(rest, {
    days: { type: 'string' },
    instance: { type: 'string' },
    project: { type: 'string' },
    json: { type: 'boolean' },
  });
  const scope = validated(
    analyticsScopeSchema,
    {
      ...(values.days !== undefined ? { days: integer(values.days, '--days', 1, 3650) } : {}),
      ...(values.instance ? { instance: values.instance } : {}),
      ...(values.project ? { project: values.project } : {}),
      // Hours and weekdays in this computer's zone, as the app shows them.
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    },
    '--days/--instance/--project',
  );
  const answer = sub as Answer;
  return withBackend(async (backend) => {
    const data = unwrap<unknown>(await backend.dispatch(ANSWERS[answer], answer === 'recommendations' ? {} : scope));
    io.out(values.json ? json(data) : RENDER[answer](data as never));
    return 0;
  });
}

async function applyCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { positionals, values } = parse(args, { json: { type: 'boolean' } }, 1);
  if (!positionals[0]) throw new UsageError('analytics apply needs a recommendation id (see analytics recommendations)');
  return withBackend(async (backend) => {
    const result = unwrap<{ config: PerformanceConfig; applied: Recommendation }>(
      await backend.dispatch('applyRecommendation', { id: positionals[0] }),
    );
    if (values.json) io.out(json(result));
    else
      io.out(
        `applied ${result.applied.id}: ${changedSettings(result.applied).join(', ')} (recorded in the audit as "recommendation ${result.applied.id}")`,
      );
    return 0;
  });
}

function changedSettings(applied: Recommendation): string[] {
  if (applied.scheduleChange) return [`schedule interval_minutes=${applied.scheduleChange.intervalMinutes}`];
  return Object.entries(applied.change).map(([key, value]) => `${settingName(key as PerformanceKey)}=${String(value)}`);
}

function scoreLine(s: HealthScore): string[] {
  return [s.project ? `${s.instance}/${s.project}` : (s.instance ?? 'overall'), String(s.score), s.band, s.reason];
}

const RENDER: { [K in Answer]: (data: never) => string } = {
  health: (h: HealthReport) =>
    [
      `Health ${h.overall.score}/100 (${h.overall.band}) over the last ${h.scope.days} days`,
      table(
        ['COMPONENT', 'SCORE', 'WEIGHT', 'DETAIL'],
        h.overall.components.map((c) => [c.label, String(c.score), String(c.weight), c.detail]),
      ),
      '',
      table(['SCOPE', 'SCORE', 'BAND', 'REASON'], [...h.instances, ...h.projects].map(scoreLine)),
    ].join('\n'),
  failures: (f: FailurePatterns) =>
    [
      `${f.projectFailures} of ${f.projectSyncs} project syncs failed, ${f.runFailures} runs failed before any project`,
      table(
        ['CATEGORY', 'FAILURES'],
        f.byCategory.map((c) => [c.category, String(c.failures)]),
      ),
      '',
      table(
        ['PROJECT', 'FAILURES', 'SYNCS'],
        f.byProject.map((p) => [`${p.instance}/${p.key}`, String(p.failures), String(p.syncs)]),
      ),
      '',
      `By hour: ${
        f.byHour
          .filter((h) => h.failures > 0)
          .map((h) => `${hh(h.key)} ${h.failures}`)
          .join(', ') || 'none'
      }`,
      `Streaks: ${f.streaks.map((s) => `${s.instance}/${s.project} now ${s.current}, longest ${s.longest}`).join('; ') || 'none'}`,
      ...f.recurring.map((r) => `Recurring (${r.occurrences}×, ${r.category ?? 'unknown'}): ${r.pattern}`),
      ...f.onsets.map(
        (o) =>
          `${o.instance}/${o.project} has failed since ${o.startedAt} (${o.failuresSince}×)${o.changes.length ? `; just before: ${o.changes.map((c) => c.description).join('; ')}` : ''}`,
      ),
    ].join('\n'),
  'best-time': (b: BestTime) =>
    b.best
      ? [
          `Best time to sync: ${b.best.weekday === null ? '' : `${WEEKDAYS[b.best.weekday]} `}${hh(b.best.hour)} (${b.best.confidence} confidence, ${b.best.syncs} syncs; cost ${b.best.cost})`,
          b.worst
            ? `Worst: ${b.worst.weekday === null ? '' : `${WEEKDAYS[b.worst.weekday]} `}${hh(b.worst.hour)} (cost ${b.worst.cost}: failures ${pct(b.worst.failureRate)}, 429 ${pct(b.worst.rateLimitShare)})`
            : '',
          `(${b.granularity}, ${b.syncs} project syncs)`,
        ].join('\n')
      : `not enough history: a bucket needs ${b.minSyncsPerBucket} syncs`,
  predict: (p: DurationPrediction) =>
    [
      `Next sync: ${duration(p.durationMs)} (90 %: ${duration(p.lowMs)} – ${duration(p.highMs)}) on ${p.workers} workers`,
      table(
        ['PROJECT', 'ISSUES', 'MS/ISSUE', 'FIXED', 'EXPECTED', 'SYNCS'],
        p.projects.map((x) => [
          `${x.instance}/${x.project}`,
          String(x.expectedIssues),
          String(x.msPerIssue),
          duration(x.fixedMs),
          duration(x.durationMs),
          String(x.syncs),
        ]),
      ),
      `Accuracy over the last ${p.accuracy.syncs} project syncs: MAPE ${p.accuracy.mape === null ? '-' : pct(p.accuracy.mape)}`,
    ].join('\n'),
  anomalies: (a: AnomalyList) =>
    [
      `${a.open.length} open`,
      ...a.open.map((x) => `  OPEN since ${x.openedAt}: ${x.description}`),
      `${a.recent.length} resolved recently`,
      ...a.recent.map((x) => `  resolved ${x.resolvedAt}: ${x.description}`),
    ].join('\n'),
  recommendations: (r: Recommendations) =>
    r.recommendations.length === 0
      ? `no recommendation (${r.runsConsidered} runs considered)`
      : r.recommendations
          .map(
            (x) =>
              `${x.id}: ${x.title}\n  ${x.reason}\n  ${
                x.perDay
                  ? `per day ${x.perDay.syncsNow} → ${x.perDay.syncsAfter} syncs, ${x.perDay.apiCallsNow} → ${x.perDay.apiCallsAfter} API calls`
                  : `estimate ${duration(x.estimate.durationMs)} (now ${duration(r.current.durationMs)})`
              }`,
          )
          .join('\n') + `\n(apply one with: jira-mirror analytics apply ID)`,
};
