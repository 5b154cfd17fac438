import { toMetric } from '../harness/latency-metrics.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import {
  ensureMarkerTable,
  JS_ERROR,
  raiseSqlstate,
  SYNTAX_ERROR,
  takeMarkers,
  TIMEOUT,
  UNIQUE_VIOLATION,
  writeMarker,
  type FailureCase,
  type Prelude,
} from './failure-cases.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';

const REPEATS = 4;
const FAILURE_CASES: readonly FailureCase[] = [JS_ERROR, UNIQUE_VIOLATION, SYNTAX_ERROR, TIMEOUT];

/** Failures the caller sees; each run leaves its rows (markers) behind only if rollback failed. */
async function runFailureCases(ctx: ScenarioContext, prelude: Prelude, recorder: LatencyRecorder, repeats: number, tag: string) {
  const raised: string[] = [];
  const failedMarkers: string[] = [];
  for (const failure of FAILURE_CASES) {
    let count = 0;
    for (let i = 0; i < repeats; i++) {
      const marker = `sx_${tag}_${failure.name}_${i}`;
      failedMarkers.push(marker);
      const outcome = await recorder.measure(() => failure.run(ctx, prelude, marker));
      if (outcome.kind === 'error' && failure.raised(outcome.error)) count++;
    }
    raised.push(`${failure.name} ${count}/${repeats}`);
  }
  return { raised, failedMarkers, allRaised: raised.every((r) => r.endsWith(` ${repeats}/${repeats}`)) };
}

/**
 * Writes (`db.write`) of the prelude and a marker whose first attempt hits a transient server error
 * (40001, serialization failure) after both: a data layer that retries rolls the attempt back and
 * commits the second; one that does not raises it, with nothing stored. Either way no attempt may
 * be half applied.
 */
async function runTransientWrites(ctx: ScenarioContext, prelude: Prelude, recorder: LatencyRecorder, repeats: number, tag: string) {
  const failedMarkers: string[] = [];
  const committedMarkers: string[] = [];
  let attempts = 0;
  let raised = 0;
  for (let i = 0; i < repeats; i++) {
    let attempt = 0;
    const outcome = await recorder.measure(() =>
      ctx.db.write(async (s) => {
        attempt += 1;
        attempts += 1;
        const marker = `sx_${tag}_transient_${i}_a${attempt}`;
        await prelude(s.em);
        await writeMarker(s.em, marker);
        if (attempt === 1) {
          failedMarkers.push(marker);
          await raiseSqlstate(s.em, '40001');
        }
        committedMarkers.push(marker);
      }),
    );
    if (outcome.kind === 'error') raised++;
  }
  return { failedMarkers, committedMarkers, retries: attempts - repeats, raised };
}

/**
 * sessions.exception_cleanup (a perf file's sessions.<id>.exception_cleanup): the operation, then
 * a marker row, in units of work that then fail in each real way (a JS error inside the
 * transaction, a unique violation, a syntax error, a statement timeout), each way `repeats_per_case`
 * times; and writes whose first attempt hits a transient server error (40001).
 * Criteria: each failure reaches the caller as raised; no marker of a failed unit is stored; each
 * transient write is whole: committed once after a retry, or raised with nothing stored (a data
 * layer without retry raises it); no session open, opened == closed, none leaked, pool 0 in use.
 * Recorded: `retries` (attempts beyond the first, of the transient writes).
 */
export function exceptionCleanupScenario(id: string, prelude: (ctx: ScenarioContext) => Prelude): ScenarioDefinition {
  return {
    id,
    category: 'sessions',
    params: { repeats_per_case: REPEATS, cases: FAILURE_CASES.map((c) => c.name).concat('transient_retry').join(',') },
    async run(ctx) {
      const repeats = ctx.scaled(REPEATS, 2);
      const tag = ctx.random.int(0, 2 ** 31).toString(36);
      await ensureMarkerTable(ctx.db);
      const before = openSessionWindow(ctx.db);
      const recorder = new LatencyRecorder();
      const failures = await runFailureCases(ctx, prelude(ctx), recorder, repeats, tag);
      const transient = await runTransientWrites(ctx, prelude(ctx), recorder, repeats, tag);
      const window = await closeSessionWindow(ctx.db, before);
      const stored = await takeMarkers(ctx.db, `sx_${tag}_`);
      const leftovers = [...failures.failedMarkers, ...transient.failedMarkers].filter((m) => stored.has(m)).length;
      const committed = transient.committedMarkers.filter((m) => stored.has(m)).length;
      const whole = committed + transient.raised === repeats && committed === transient.committedMarkers.length;
      return {
        checks: [
          check('errors_reach_caller', failures.allRaised, failures.raised.join(', '), `${repeats}/${repeats} of each`),
          check('failed_writes_rolled_back', leftovers === 0, leftovers, '0 rows stored'),
          check(
            'transient_writes_whole',
            whole,
            `${committed} committed after a retry, ${transient.raised} raised`,
            `${repeats} in all, each committed once or raised with nothing stored`,
          ),
          ...window.checks,
        ],
        metrics: {
          ...recorder.metrics(),
          ...readResourceMetrics(ctx.db),
          ...window.metrics,
          retries: toMetric('retries', transient.retries),
        },
        samples: recorder.samples(),
        params: { repeats_per_case: repeats },
      };
    },
  };
}
