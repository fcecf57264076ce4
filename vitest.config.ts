import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Two cores: keep file parallelism modest so HTTP-heavy integration tests do not starve each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints last.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 60_000,
    // electron-store imports `electron`: processed by Vite, that import reaches the test's vi.mock
    // instead of the real package (which would try to download Electron's binary).
    server: { deps: { inline: ['electron-store'] } },
  },
});
