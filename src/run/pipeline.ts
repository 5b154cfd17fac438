import type { ResultsDocument } from '../results/types.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { compareToBaseline } from '../verdict/compare.js';
import { listRerunScenarios, mergeRerun } from '../verdict/rerun.js';
import type { Thresholds } from '../verdict/thresholds.js';
import type { Comparison } from '../verdict/types.js';
import type { GateSession, RunLabel } from './gate-session.js';

export interface JudgedRun {
  /** The first run's document: the one stored as a baseline. */
  results: ResultsDocument;
  comparison: Comparison;
  /** Scenario ids re-run to confirm a regression or a failed timing check (empty when none). */
  rerun: string[];
}

/**
 * Runs the scenarios, compares them with the history, and, when a failing relative regression or a
 * failed timing check is flagged and confirmation is on, re-runs only the flagged scenarios once:
 * either fails the gate only if it holds on the re-run.
 */
export async function runAndJudge(input: {
  session: GateSession;
  definitions: readonly ScenarioDefinition[];
  label: RunLabel;
  thresholds: Thresholds;
  history: readonly ResultsDocument[];
  confirmRerun: boolean;
  log: (line: string) => void;
}): Promise<JudgedRun> {
  const { session, definitions, label, thresholds, history } = input;
  const results = await session.run(definitions, label);
  const comparison = compareToBaseline({ current: results, history, thresholds });
  const flagged = input.confirmRerun ? listRerunScenarios(comparison) : [];
  if (flagged.length === 0) return { results, comparison, rerun: [] };
  input.log(`re-running ${flagged.length} flagged scenario(s) to confirm: ${flagged.join(', ')}`);
  const again = await session.run(
    definitions.filter((d) => flagged.includes(d.id)),
    label,
  );
  const rerunComparison = compareToBaseline({ current: again, history, thresholds });
  return { results, comparison: mergeRerun(comparison, rerunComparison, again), rerun: flagged };
}
