import { parseThresholds } from '../../src/config/thresholds.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { mergeRerun } from '../../src/verdict/rerun.js';
import type { Comparison } from '../../src/verdict/types.js';
import { makeCalibration, makeEnvironment, makeNoisyHistory, makeResults, makeScenario, TYPICAL_MEANS } from '../support/results-fixtures.js';

const thresholds = parseThresholds(
  {
    scenarios: {
      'bench.crud.get_by_id': { avg_ms: { max: 10 } },
      'pooling.normal_load': { error_rate: { max: 0.01 }, avg_ms: { max: 100 } },
    },
  },
  'report thresholds',
);

/** A passing comparison against a quiet history of five runs. */
export function makePassingComparison(): Comparison {
  const history = makeNoisyHistory(3, 5, TYPICAL_MEANS, { machineSigma: 0.02, metricSigma: 0.01 });
  const current = makeResults({
    sha: 'f'.repeat(40),
    totalMs: 83_400,
    scenarios: Object.entries(TYPICAL_MEANS).map(([id, values]) => makeScenario(id, values)),
  });
  return compareToBaseline({ current, history, thresholds });
}

/** bench.pagination:100 with its timing check `scales_linearly` measured at `ratio`. */
function makePagination(ratio: number) {
  const check = { name: 'scales_linearly', passed: ratio <= 1.3, measured: ratio, expected: '<= 1.3 (line from 10 to 100 rows)', timing: true as const };
  return makeScenario('bench.pagination:100', { avg_ms: 0.9 }, { checks: [check], status: check.passed ? 'passed' : 'failed' });
}

/**
 * A failing comparison: a regression, a breach, an errored scenario, a failed check, a failed timing
 * check that passed on its re-run, another runner.
 */
export function makeFailingComparison(): Comparison {
  const history = makeNoisyHistory(5, 6, TYPICAL_MEANS, { machineSigma: 0.02, metricSigma: 0.01 });
  const evil = 'bench.crud.get_by_id<img src=x onerror=alert(1)>|@octocat [x](http://evil) `rm` #1';
  const current = makeResults({
    environment: makeEnvironment({ cpuCount: 4 }),
    calibration: makeCalibration(1),
    totalMs: 125_000,
    scenarios: [
      makeScenario('bench.crud.get_by_id', { ...TYPICAL_MEANS['bench.crud.get_by_id'], avg_ms: 0.45 }),
      makeScenario('bench.crud.create', { ...TYPICAL_MEANS['bench.crud.create'], avg_ms: 0.5 }),
      makeScenario('pooling.normal_load', { avg_ms: 140, p95_ms: 9, error_rate: 0 }, {
        checks: [{ name: 'no_leaks', passed: false, measured: 2, expected: '0 leaked @team' }],
      }),
      { ...makeScenario('bench.crud.update', {}), status: 'errored', error: { name: 'Error', message: 'relation "users" does not exist\n<script>' } },
      makeScenario(evil, { avg_ms: 1 }),
      makePagination(1.33),
    ],
  });
  const again = makeResults({ environment: makeEnvironment({ cpuCount: 4 }), scenarios: [makePagination(1.12)] });
  const first = compareToBaseline({ current, history, thresholds });
  return mergeRerun(first, compareToBaseline({ current: again, history, thresholds }), again);
}

/** Commits of a ten-run history in which re-runs on `main` repeat a commit, oldest first. */
export const REPEATED_SHAS = ['1e61571', '1e61571', '1e61571', '248d585', '248d585', 'ebed3fc', '62d398b', '62d398b', '62d398b', 'ea74ed6'];

/**
 * A ten-run history with repeated commits (several runs of one commit) and a run whose get-by-id
 * average regressed by a third: the picture the chart has to keep readable.
 */
export function makeRepeatedShaComparison(): Comparison {
  const history = makeNoisyHistory(11, REPEATED_SHAS.length, TYPICAL_MEANS, { machineSigma: 0.03, metricSigma: 0.02 }).map((doc, i) => ({
    ...doc,
    run: { ...doc.run, gitSha: `${REPEATED_SHAS[REPEATED_SHAS.length - 1 - i]}${'0'.repeat(33)}` },
  }));
  const current = makeResults({
    sha: `9f0c2d1${'0'.repeat(33)}`,
    scenarios: Object.entries(TYPICAL_MEANS).map(([id, values]) =>
      makeScenario(id, id === 'bench.crud.get_by_id' ? { ...values, avg_ms: 0.4 } : values),
    ),
  });
  return compareToBaseline({ current, history, thresholds });
}
