/**
 * Prints, as JSON, every analytics answer over the generated history at HISTORY_NOW_MS (UTC):
 * component tests run under jsdom, where the store cannot open, so they read these from a child
 * process (`node tests/helpers/analyticsAnswers.ts`).
 */
import { createAnalytics, currentRecommendations } from '../../src/service/handlers/analytics.ts';
import { EventHub } from '../../src/service/events.ts';
import { openStore } from '../../src/store/db.ts';
import { HISTORY_NOW_MS, seedAnalyticsHistory } from './analyticsHistory.ts';
import { tempDir } from './tempDb.ts';

const temp = tempDir();
const store = openStore({ file: temp.dbFile });
seedAnalyticsHistory(store);
const { handlers } = createAnalytics({
  store,
  events: new EventHub(),
  clock: { now: () => HISTORY_NOW_MS, setTimeout: () => ({}) as never, clearTimeout: () => undefined },
  initiator: 'app',
  scheduleIntervalMs: () => null,
  changeSchedule: null,
  notifyWebhooks: () => undefined,
});
const scope = { days: 30, utcOffsetMinutes: 0 };
const recommendations = currentRecommendations(store, null);
const answers = {
  getHealth: await handlers.getHealth(scope),
  getFailurePatterns: await handlers.getFailurePatterns(scope),
  getBestTime: await handlers.getBestTime(scope),
  predictDuration: await handlers.predictDuration(scope),
  listAnomalies: await handlers.listAnomalies(scope),
  getRecommendations: recommendations,
  applyRecommendation: await handlers.applyRecommendation({ id: recommendations.recommendations[0]!.id }),
};
store.close();
temp.cleanup();
process.stdout.write(JSON.stringify(answers));
