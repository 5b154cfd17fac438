/**
 * Judges the documents a `VALIDATE_DUMP=<dir> npm run validate:verdict` run kept, again, with the
 * verdict rules and thresholds.json of this checkout (npm run rejudge:verdict -- <dir>): a way to
 * compare rules on the same recorded runs in seconds instead of half an hour per rule.
 * The confirmation re-run is not in the dump; the next run of the same kind stands in for it (the
 * last run's is the first), which is less correlated with the first run than a real re-run.
 */
import { readdirSync } from 'node:fs';
import { loadThresholds } from '../src/config/thresholds.js';
import { readResults } from '../src/results/results-io.js';
import type { ResultsDocument } from '../src/results/types.js';
import { compareToBaseline } from '../src/verdict/compare.js';
import { listRerunScenarios, mergeRerun } from '../src/verdict/rerun.js';
import { failingRegressions, otherFailures } from './verdict-tally.js';

const TARGET = 'bench.crud.get_by_id avg_ms';
const dir = process.argv[2];
if (!dir) throw new Error('usage: npm run rejudge:verdict -- <dir written by VALIDATE_DUMP>');

/** The dumped documents named `<prefix><n>.json`, in run order, each checked against the schema. */
function readRuns(prefix: string): Promise<ResultsDocument[]> {
  const index = (name: string): number => Number(name.slice(prefix.length, -'.json'.length));
  const names = readdirSync(dir!).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  return Promise.all(names.sort((a, b) => index(a) - index(b)).map((name) => readResults(`${dir}/${name}`)));
}

const thresholds = await loadThresholds('thresholds.json');
const history = (await readRuns('history-')).reverse(); // newest first, as a store returns them

for (const [prefix, label] of [['aa-', 'A/A'], ['ab-', 'A/B']] as const) {
  const runs = await readRuns(prefix);
  if (runs.length === 0) continue;
  let regressed = 0;
  let failed = 0;
  let caught = 0;
  runs.forEach((current, i) => {
    const first = compareToBaseline({ current, history, thresholds });
    const flagged = listRerunScenarios(first);
    const next = runs[(i + 1) % runs.length]!;
    const again = { ...next, scenarios: next.scenarios.filter((s) => flagged.includes(s.id)) };
    const judged = flagged.length === 0 ? first : mergeRerun(first, compareToBaseline({ current: again, history, thresholds }), again);
    const regressions = failingRegressions(judged);
    const reasons = [...regressions, ...otherFailures(judged)];
    if (regressions.length > 0) regressed++;
    if (judged.outcome.kind === 'fail') failed++;
    if (regressions.includes(TARGET)) caught++;
    process.stderr.write(`${label} ${i + 1}/${runs.length}: ${reasons.length === 0 ? 'pass' : `FAIL ${reasons.join('; ')}`}\n`);
  });
  const summary = label === 'A/A' ? `${regressed}/${runs.length} with a failing regression, ${failed}/${runs.length} failed outcomes` : `${caught}/${runs.length} caught ${TARGET}`;
  process.stdout.write(`${label} re-judged (history ${history.length}): ${summary}\n`);
}
