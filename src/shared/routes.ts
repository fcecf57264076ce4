/**
 * Deep links into the UI (hash routes, so they work in the app and the browser preview alike).
 * The desktop shell opens them from a notification or the tray.
 */

/** The detail page of one run. */
export function runRoute(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}
