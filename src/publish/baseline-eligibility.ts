import type { ResultsDocument } from '../results/types.js';

/**
 * Why a run must not become a baseline, or undefined when it may: a failed run never overwrites a
 * stored baseline, and a run with an errored scenario is a failed run.
 */
export function findUnstorableReason(results: ResultsDocument): string | undefined {
  const errored = results.scenarios.filter((scenario) => scenario.status === 'errored');
  if (errored.length === 0) return undefined;
  const names = errored.slice(0, 5).map((scenario) => scenario.id).join(', ');
  return `${errored.length} scenario(s) errored (${names}${errored.length > 5 ? ', ...' : ''})`;
}
