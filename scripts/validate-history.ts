/**
 * Measures the history verdict on this machine (npm run validate:verdict; with --duet: validate-duet.ts):
 *  - A/A: a baseline history of runs of this code, then more runs of the same code compared with it;
 *    counts runs with any failing regression (false alarms of the relative verdict), and runs whose
 *    outcome failed for any reason (also breaches, failed checks, errored scenarios).
 *  - A/B: latency added through the loopback fault proxy, sized to +N% of get-by-id's round trip;
 *    counts runs where bench.crud.get_by_id is caught as a failing regression.
 * Every run goes through the gate's real pipeline (calibration, comparison, confirmation re-run).
 * The data layer connects through the proxy in every run (pass mode for A/A), calibration directly.
 * Each run gets a fresh database. VALIDATE_DUMP=<dir> writes the history documents and each A/A and
 * A/B run's first results document there for study. With `--ab-runs 0` nothing needs the proxy, and the data
 * layer connects directly, as in a real gate run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { medianOf } from '../src/common/statistics.js';
import { TOOL_VERSION } from '../src/common/version.js';
import { loadThresholds } from '../src/config/thresholds.js';
import { resolveValidationSettings } from './validation-settings.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import type { ResultsDocument } from '../src/results/types.js';
import { GateSession } from '../src/run/gate-session.js';
import { runAndJudge } from '../src/run/pipeline.js';
import { startFaultProxy } from '../src/suites/harness/fault-proxy.js';
import type { ProgressReporter } from '../src/suites/harness/progress.js';
import { ALL_SCENARIOS } from '../src/run/own-scenarios.js';
import { DEFAULT_SUITE_OPTIONS } from '../src/suites/scenario.js';
import { selectScenarios } from '../src/suites/selection.js';
import { failingRegressions, otherFailures } from './verdict-tally.js';

const { values } = parseArgs({
  options: {
    history: { type: 'string', default: '10' },
    runs: { type: 'string', default: '20' },
    'ab-runs': { type: 'string' },
    added: { type: 'string', default: '30' },
    scenarios: { type: 'string', default: 'bench.crud,bench.query' },
    users: { type: 'string', default: '10000' },
  },
});
const historySize = Number(values.history);
const runs = Number(values.runs);
const abRuns = Number(values['ab-runs'] ?? values.runs);
const addedPercent = Number(values.added);
const TARGET = 'bench.crud.get_by_id';

const quiet: ProgressReporter = { scenarioStarted() {}, scenarioFinished() {}, categoryFinished() {}, close() {} };
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Writes a document to VALIDATE_DUMP when set. */
async function dump(name: string, doc: ResultsDocument): Promise<void> {
  const dir = process.env.VALIDATE_DUMP;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/${name}.json`, JSON.stringify(doc));
}

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
const server = new URL(serverUrl);
const proxy = await startFaultProxy({ targetHost: server.hostname, targetPort: Number(server.port || 5432) });
const thresholds = await loadThresholds('thresholds.json');
const settings = resolveValidationSettings(thresholds, serverUrl, Number(values.users));
const definitions = selectScenarios(ALL_SCENARIOS, { scenarios: values.scenarios.split(',') });
/** Each run gets a fresh database, as every CI run does: data written by one run never slows the next. */
async function withSession<T>(work: (session: GateSession) => Promise<T>): Promise<T> {
  const session = await GateSession.open({
    serverUrl,
    db: settings.db,
    keepDatabase: settings.keepDatabase,
    seedUsers: settings.size.users,
    seed: settings.size.seed,
    suite: { ...DEFAULT_SUITE_OPTIONS, scenarioTimeoutSeconds: settings.scenarioTimeoutSeconds },
    progress: quiet,
    log: () => {},
    ...(abRuns > 0 ? { connectThrough: (url: string) => proxy.url(url) } : {}),
  });
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
const label = { toolVersion: TOOL_VERSION, gitRef: 'validate-verdict' };
const judge = (history: ResultsDocument[]) =>
  withSession((session) =>
    runAndJudge({ session, definitions, label, thresholds, history, confirmRerun: settings.confirmRerun, log: () => {} }),
  );

/**
 * get-by-id's average over its interleaved raw `pg` reference: the machine-independent size of the
 * call, the view the verdict decides on. Raw averages moved 25-35% between runs here, too much to
 * size a +30% change by.
 */
function targetRatio(doc: ResultsDocument): number {
  const metrics = doc.scenarios.find((s) => s.id === TARGET)!.metrics;
  return metrics.avg_ms!.value / metrics.reference_ms!.value;
}

/** Finds the proxy delay that makes get-by-id about +added% slower (against its reference), from three sizing runs. */
async function sizeDelay(baseAvg: number, baseRatio: number): Promise<number> {
  const only = definitions.filter((d) => d.id === TARGET);
  let delay = (baseAvg * addedPercent) / 100 / 2;
  for (let round = 0; round < 3; round++) {
    await proxy.setMode({ kind: 'delay', ms: delay });
    const doc = await withSession((session) => session.run(only, label));
    const change = (targetRatio(doc) / baseRatio - 1) * 100;
    log(`sizing: delay ${delay.toFixed(3)} ms each way gave ${change.toFixed(0)}%`);
    if (change > 1) delay *= Math.min(3, Math.max(0.3, addedPercent / change));
  }
  await proxy.setMode({ kind: 'delay', ms: delay });
  return delay;
}

try {
  const started = performance.now();
  log(`${definitions.length} scenarios; history ${historySize}, ${runs} A/A and ${abRuns} A/B runs, +${addedPercent}%`);
  const history: ResultsDocument[] = [];
  for (let i = 0; i < historySize; i++) history.unshift(await withSession((session) => session.run(definitions, label)));
  await Promise.all(history.map((doc, i) => dump(`history-${i}`, doc)));
  const baseAvg = medianOf(history.map((doc) => doc.scenarios.find((s) => s.id === TARGET)!.metrics.avg_ms!.value));
  const baseRatio = medianOf(history.map(targetRatio));

  let falseAlarms = 0;
  let failedOutcomes = 0;
  const warnedChecks: string[] = [];
  for (let i = 0; i < runs; i++) {
    const { comparison, rerun, results } = await judge(history);
    await dump(`aa-${i}`, results);
    const flagged = failingRegressions(comparison);
    const reasons = [...flagged, ...otherFailures(comparison)];
    if (flagged.length > 0) falseAlarms++;
    if (comparison.outcome.kind === 'fail') failedOutcomes++;
    warnedChecks.push(...comparison.failedChecks.filter((f) => f.severity === 'warn').map((f) => `${f.scenarioId} ${f.check.name}`));
    const reruns = rerun.length > 0 ? ` (re-ran ${rerun.join(', ')})` : '';
    log(`A/A ${i + 1}/${runs}: ${reasons.length === 0 ? 'pass' : `FAIL ${reasons.join('; ')}`}${reruns}`);
  }

  // One message each way per get-by-id: +added% of its average is split over the two directions.
  // The proxy's own cost comes on top of the nominal delay, so the delay is sized by measuring.
  const delayMs = abRuns > 0 ? await sizeDelay(baseAvg, baseRatio) : 0;
  let caught = 0;
  const measured: number[] = [];
  for (let i = 0; i < abRuns; i++) {
    const judged = await judge(history);
    await dump(`ab-${i}`, judged.results);
    const target = judged.results.scenarios.find((s) => s.id === TARGET)!.metrics.avg_ms!.value;
    measured.push((targetRatio(judged.results) / baseRatio - 1) * 100);
    const hit = failingRegressions(judged.comparison).some((name) => name.startsWith(`${TARGET} `));
    if (hit) caught++;
    else log(`  missed: ${JSON.stringify(judged.comparison.verdicts.find((v) => v.scenarioId === TARGET && v.metric === 'avg_ms'))}`);
    log(`A/B ${i + 1}/${abRuns}: get-by-id ${target.toFixed(3)} ms (${measured.at(-1)!.toFixed(0)}% against its reference): ${hit ? 'caught' : 'missed'}`);
  }
  const minutes = ((performance.now() - started) / 60000).toFixed(1);
  process.stdout.write(
    [
      '',
      `verdict validation (${definitions.length} scenarios, history ${historySize}, ${minutes} min)`,
      `get-by-id baseline avg ${baseAvg.toFixed(3)} ms; proxy delay ${delayMs.toFixed(3)} ms each way; measured change against the reference, median ${measured.length > 0 ? medianOf(measured).toFixed(0) : '-'}%`,
      `A/A: ${falseAlarms}/${runs} runs with a failing regression (target: at most 1 in 20)`,
      `A/A: ${failedOutcomes}/${runs} runs whose gate outcome failed for any reason; timing checks cleared by the re-run: ${warnedChecks.length === 0 ? 'none' : warnedChecks.join(', ')}`,
      abRuns > 0 ? `A/B: ${caught}/${abRuns} runs caught the +${addedPercent}% on ${TARGET} (target: at least 19 in 20)` : 'A/B: not run (--ab-runs 0)',
      '',
    ].join('\n'),
  );
  const quietEnough = falseAlarms <= Math.floor(runs / 20) && failedOutcomes <= Math.floor(runs / 20);
  process.exitCode = quietEnough && caught >= abRuns - Math.floor(abRuns / 20) ? 0 : 1;
} finally {
  await proxy.close();
  await embedded?.stop();
}
