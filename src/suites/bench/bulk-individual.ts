import type { ScenarioDefinition } from '../scenario.js';
import { benchOutcome, withPerItem } from './bench-outcome.js';
import { batchStoredChecks, BULK_SIZES, measureBatches } from './bulk-measure.js';

/**
 * bench.bulk.individual:N: creates N users one by one, each in its own transaction with its audit
 * row (N × `db.write((s) => s.users.createUser(...))`); one benchmark call is the whole batch.
 * Metric per_item_ms = mean batch time / N; bench.bulk.bulk:N compares itself with it.
 * Criteria: every call succeeds; all N users per call and their audit rows are stored.
 */
function defineIndividual(size: number): ScenarioDefinition {
  return {
    id: `bench.bulk.individual:${size}`,
    category: 'bench',
    params: { batch_size: size },
    async run(ctx) {
      const { measured, created } = await measureBatches(ctx, 'individual', size);
      const checks = await batchStoredChecks(ctx, created);
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

export const bulkIndividualScenarios: ScenarioDefinition[] = BULK_SIZES.map(defineIndividual);
