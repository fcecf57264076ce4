/**
 * The bare concurrent client: what the machine and the simulator allow at all. One loop per project,
 * all at once over a pool of kept-alive connections (undici, the engine's own HTTP client), pages of
 * 100 through Cloud's `POST /rest/api/3/search/jql`, each page parsed with JSON.parse and counted;
 * nothing is checked, split, retried or stored. The engine's fraction of the bound is read against
 * this client's, measured in the same run (issue 6 quotes such a client at 0.86 of the bound).
 */
import { Agent, request } from 'undici';
import type { BaselineOptions, BaselineResult } from './baseline.ts';

interface SearchPage {
  issues: unknown[];
  nextPageToken?: string;
  isLast?: boolean;
}

export async function runReference(
  options: BaselineOptions & { projectKeys: string[] },
): Promise<Omit<BaselineResult, 'journalMode' | 'rowsInDb'>> {
  const dispatcher = new Agent({ connections: options.projectKeys.length + 2 });
  const headers = {
    authorization: `Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  let apiCalls = 0;
  let issues = 0;
  const started = performance.now();
  try {
    await Promise.all(
      options.projectKeys.map(async (projectKey) => {
        let nextPageToken: string | undefined;
        do {
          apiCalls += 1;
          const response = await request(`${options.url}/rest/api/3/search/jql`, {
            dispatcher,
            method: 'POST',
            headers,
            body: JSON.stringify({
              jql: `project = "${projectKey}" ORDER BY updated ASC, key ASC`,
              maxResults: options.pageSize ?? 100,
              fields: ['*navigable'],
              ...(nextPageToken ? { nextPageToken } : {}),
            }),
          });
          const text = await response.body.text();
          if (response.statusCode !== 200) throw new Error(`search of ${projectKey} → HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
          const page = JSON.parse(text) as SearchPage;
          issues += page.issues.length;
          nextPageToken = page.isLast === false ? page.nextPageToken : undefined;
        } while (nextPageToken);
      }),
    );
    return { issues, apiCalls, seconds: (performance.now() - started) / 1000 };
  } finally {
    await dispatcher.close();
  }
}
