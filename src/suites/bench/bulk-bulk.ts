import type { ScenarioDefinition } from '../scenario.js';
import { benchOutcome, callFigures, limitCheck, withPerItem } from './bench-outcome.js';
import { recallOrMeasure } from './bench-state.js';
import { batchStoredChecks, BULK_SIZES, bulkReferenceKey, measureBatches } from './bulk-measure.js';

/**
 * bench.bulk.bulk:N: creates N users in one transaction with one bulkCreate (one multi-row insert
 * for the users, one for their audit rows: `db.write((s) => s.users.bulkCreate(inputs))`).
 * Metric per_item_ms = mean batch time / N.
 * Criteria: every call succeeds; all N users per call and their audit rows are stored; the median
 * time per user is lower than bench.bulk.individual:N's in the same run (measured here when that
 * scenario did not run just before).
 */
function defineBulk(size: number): ScenarioDefinition {
  return {
    id: `bench.bulk.bulk:${size}`,
    category: 'bench',
    params: { batch_size: size },
    async run(ctx) {
      const { measured, created } = await measureBatches(ctx, 'bulk', size);
      const individual = await recallOrMeasure(ctx.db, bulkReferenceKey('individual', size), async () =>
        callFigures((await measureBatches(ctx, 'individual', size)).measured.recorder),
      );
      const ratio = callFigures(measured.recorder).p50Ms / individual.p50Ms;
      const checks = [
        ...(await batchStoredChecks(ctx, created)),
        limitCheck('bulk_beats_individual', ratio, 1, `median time per user, bulk / individual:${size}`, true),
      ];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    },
  };
}

export const bulkBulkScenarios: ScenarioDefinition[] = BULK_SIZES.map(defineBulk);
