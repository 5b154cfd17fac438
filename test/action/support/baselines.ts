import { readFile } from 'node:fs/promises';
import type { ResultsDocument } from '../../../src/results/types.js';
import type { GitHubStage } from './gate-fixture.js';

/**
 * Commits three baseline runs to `perf-baselines`, made from a real run whose `scenarioId`
 * latencies (every ms metric and the raw samples) are divided by `factor`, with a little spread
 * between them the way real runs differ. The current code then looks `factor` times slower.
 */
export async function seedSlowerBaselines(stage: GitHubStage, resultsFile: string, scenarioId: string, factor: number): Promise<void> {
  const real = JSON.parse(await readFile(resultsFile, 'utf8')) as ResultsDocument;
  const files: Record<string, string> = {};
  [0.99, 1, 1.01].forEach((spread, index) => {
    const doc = structuredClone(real);
    const startedAt = new Date(Date.parse(real.run.startedAt) - (index + 1) * 3_600_000).toISOString();
    const sha = `${index + 1}`.repeat(40);
    doc.run = { ...doc.run, startedAt, gitSha: sha };
    for (const scenario of doc.scenarios) {
      if (scenario.id !== scenarioId || scenario.status === 'errored') continue;
      // Faster code on the same machine: the scenario's latencies shrink, its machine-speed reference does not.
      for (const [name, metric] of Object.entries(scenario.metrics)) {
        if (metric.unit === 'ms' && name !== 'reference_ms') metric.value = (metric.value / factor) * spread;
      }
      if (scenario.samples?.unit === 'ms') scenario.samples.values = scenario.samples.values.map((v) => (v / factor) * spread);
    }
    files[`runs/main/${startedAt.replace(/[-:]/g, '')}-${sha}.json`] = `${JSON.stringify(doc)}\n`;
  });
  stage.fake.repo().git.commitFiles('perf-baselines', files, 'seed slower baselines');
}
