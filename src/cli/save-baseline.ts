import { findUnstorableReason } from '../publish/baseline-eligibility.js';
import type { BaselineStore } from '../publish/baseline-store.js';
import type { ResultsDocument } from '../results/types.js';

/**
 * --save-baseline: appends the run to the local baseline store as a run of `branch`, keeping the
 * newest `retention` runs; a run that may not become a baseline (an errored scenario) is said so and
 * left out.
 */
export async function saveBaseline(
  request: { store: BaselineStore; branch: string; results: ResultsDocument; retention: number },
  log: (line: string) => void,
): Promise<void> {
  const { store, branch, results } = request;
  const unstorable = findUnstorableReason(results);
  if (unstorable) {
    log(`not stored as a baseline: ${unstorable}`);
    return;
  }
  const key = { branch, sha: results.run.gitSha ?? 'local', startedAt: results.run.startedAt };
  log(`stored as a baseline of '${branch}': ${await store.append(results, key, request.retention)}`);
}
