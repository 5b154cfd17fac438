import { RESULTS_SCHEMA_VERSION, type Category, type CategoryTiming, type ResultsDocument } from '../results/types.js';
import type { DuetRun } from './duet-types.js';
import { foldHeadRounds } from './fold-rounds.js';

/**
 * The head arm of a duet as an ordinary results document (pure): each scenario's rounds folded
 * into one result (fold-rounds.ts), the head's environment and calibration, and per category the
 * head's own time over all rounds, and its cost pass. Scenarios the head does not have are left out.
 */
export function buildHeadDocument(duet: DuetRun, gitRef?: string): ResultsDocument {
  const head = duet.arms.head;
  if (!head.calibration) throw new Error('the head arm sent no calibration with its ready reply; its results document needs one');
  const scenarios = duet.scenarios.map(foldHeadRounds).filter((r) => r !== undefined);
  const categories: Partial<Record<Category, CategoryTiming>> = {};
  for (const result of scenarios) {
    const timing = (categories[result.category] ??= { wallMs: 0 });
    timing.wallMs += result.wallMs;
  }
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: {
      startedAt: duet.run.startedAt,
      finishedAt: duet.run.finishedAt,
      ...(duet.run.headSha ? { gitSha: duet.run.headSha } : {}),
      ...(gitRef ? { gitRef } : {}),
      toolVersion: head.toolVersion,
      seed: duet.run.seed,
    },
    environment: head.fingerprint,
    calibration: head.calibration,
    timings: { setupMs: duet.timings.setupMs.head, categories, totalMs: duet.timings.wallMs },
    scenarios,
    ...(head.cost?.kind === 'counted' && head.cost.section ? { cost: head.cost.section } : {}),
  };
}
