/**
 * The names of the contract's calls, events and error codes, free of any runtime dependency, so
 * the sandboxed preload and the renderer bundle them without zod. `contract.ts` checks at compile
 * time that these lists and its declarations agree.
 */
export const CALL_NAMES = [
  'listRuns',
  'exportRuns',
  'getRun',
  'getStats',
  'getTrends',
  'getDashboard',
  'listInstances',
  'listInstanceMirrors',
  'addInstance',
  'addDemoInstance',
  'updateInstance',
  'setInstanceEnabled',
  'selectProjects',
  'testConnection',
  'listServerProjects',
  'removeInstance',
  'startSync',
  'stopSync',
  'getActiveSync',
  'listIssues',
  'searchIssues',
  'getIssueFacets',
  'getIssue',
  'getPerformanceConfig',
  'savePerformanceConfig',
  'estimateSync',
  'getSchedule',
  'setSchedule',
  'getPreferences',
  'setPreferences',
  'getRecommendations',
  'getRetentionPolicy',
  'saveRetentionPolicy',
  'applyRetention',
  'getDailySummaries',
  'getDatabaseGrowth',
  'getMetricsEndpoint',
  'setMetricsEndpoint',
  'getMetricsText',
  'listWebhooks',
  'addWebhook',
  'removeWebhook',
  'testWebhook',
  'listWebhookDeliveries',
  'exportCsv',
  'createReport',
  'getConfigHistory',
  'getHealth',
  'getFailurePatterns',
  'getBestTime',
  'predictDuration',
  'listAnomalies',
  'applyRecommendation',
] as const;
export type CallName = (typeof CALL_NAMES)[number];

export const EVENT_NAMES = [
  'runUpdated',
  'syncProgress',
  'instancesChanged',
  'scheduleChanged',
  'preferencesChanged',
  'webhookDeliveryUpdated',
  'anomalyChanged',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
