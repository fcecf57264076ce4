import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function firstPage(sim: RunningSimulator): Promise<string> {
  const response = await fetch(`${sim.url}/rest/api/3/search/jql`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('demo@example.com:demo-token').toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ jql: 'project = DEMO ORDER BY key', fields: ['*navigable'], maxResults: 5 }),
  });
  return response.text();
}

describe('the site base URL', () => {
  it('is what self links report, so a restart on another port serves byte-identical issues', async () => {
    const options = {
      projects: [{ key: 'DEMO', issues: 5 }],
      seed: 3,
      dataAnchor: Date.parse('2026-11-01T00:00:00Z'),
      baseUrl: 'https://jira.example.com/',
    };
    const first = await startSimulator(options);
    running.push(first);
    const second = await startSimulator(options);
    running.push(second);
    expect(first.url).not.toBe(second.url);
    const [a, b] = [await firstPage(first), await firstPage(second)];
    expect(a).toBe(b);
    expect(a).toContain('"self":"https://jira.example.com/rest/api/3/issue/');
    expect(a).not.toContain('127.0.0.1');
  });
});
