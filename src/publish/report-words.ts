/**
 * What the action's reports say that depends on the action being the caller: how the reader runs
 * the gate again, and how a baseline gets stored. The report renders these words as given
 * (report/markdown.ts, report/console.ts); the CLI has its own (cli/cli-words.ts).
 */
import { isScenarioId } from '../suites/catalog.js';
import type { Comparison } from '../verdict/types.js';

/** At most this many scenario ids go into the command line of the comment. */
const MAX_RERUN_SCENARIOS = 10;

/** A scenario id as the catalog spells them; anything else (an uploaded document is untrusted) is left out. */
const SAFE_ID = /^[a-z0-9_.:]{1,100}$/;

/** The scenarios that fail or warn: the ones worth running again, in report order, each once. */
export function listFlaggedScenarios(comparison: Comparison): string[] {
  const flagged = [
    ...comparison.verdicts.filter((v) => v.kind === 'regressed' || v.kind === 'breached' || v.kind === 'errored').map((v) => v.scenarioId),
    ...comparison.failedChecks.map((f) => f.scenarioId),
  ];
  return [...new Set(flagged)].filter((id) => SAFE_ID.test(id)).slice(0, MAX_RERUN_SCENARIOS);
}

/**
 * The comment's "Reproduce locally": in the reader's repository, the workflow job runs the action
 * again; anywhere, a checkout of perf-gate runs the same gate with its CLI, on the flagged scenarios
 * when there are any, and for a duet against its base commit. Made from the comparison alone, so
 * both modes of the action (the gate, and the fork workflow's comment stage) say the same.
 */
export function describeActionReproduce(comparison: Comparison): string[] {
  const flagged = listFlaggedScenarios(comparison);
  const args = `run${describeAgainst(comparison)}${flagged.length > 0 ? ` --scenarios ${flagged.join(',')}` : ''}`;
  // A perf file's scenarios are run by the project's installed perf-gate; perf-gate's own, from its checkout.
  const own = comparison.verdicts.length === 0 || comparison.verdicts.some((v) => isScenarioId(v.scenarioId));
  return [
    'Re-run the workflow job that ran the perf-gate action (same inputs, same thresholds), or run the same gate with the perf-gate CLI ' +
      `${own ? 'from a checkout of perf-gate' : 'in your repository'} (it uses \`DATABASE_URL\`, else an embedded PostgreSQL):`,
    '',
    '```sh',
    own ? `npm ci && npm run perf-gate -- ${args}` : `npm ci && npx perf-gate ${args}`,
    '```',
  ];
}

/** A duet's base commit as `--against <sha>` (hex only: an uploaded document is untrusted); empty otherwise. */
function describeAgainst(comparison: Comparison): string {
  const base = comparison.mode === 'duet' ? comparison.duet?.baseSha : undefined;
  return base && /^[0-9a-f]{7,64}$/i.test(base) ? ` --against ${base}` : '';
}

/** How the action stores a baseline, for "N metrics have no baseline yet (...)" in its log. */
export const ACTION_STORE_BASELINE = "a push to the default branch stores one, see 'update-baseline'";
