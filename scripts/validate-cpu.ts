/**
 * Validates the client's CPU per call (cpu_per_call_ms) as a duet metric, against the wall time
 * (avg_ms), on bench.crud.get_by_id, through the real machinery: a freshly built bundle of the
 * working tree as both arms' worker, the coordinator, judgeDuet with thresholds.json.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run validate:cpu -- --runs 20 [--busy 40,100] [--rounds 32]
 *
 * Each of the `--runs` cycles runs one duet per mode, one after the other, so every mode sees the
 * machine at nearly the same moments (a shared machine's load moves between cycles, not between
 * modes): A/A (the same bundle on both arms), then for each `--busy` figure a head whose every
 * get-by-id read spins that many microseconds of CPU (PERF_GATE_WORKER_TEST_REGRESSION=busy-wait).
 * Per mode it counts the runs where each metric's paired outcome is `regressed` (whatever its
 * severity): false alarms in A/A, catches in the busy modes; and the median standard error of each
 * metric (read back from its 99.8% interval, scripts/duet-sensitivity.ts), in all and on the planned
 * rounds alone (without the extension: what `npm run probe:bare -- --rounds <planned> --block-ms 12.5`
 * is compared with). Every run's line carries the machine's load average when it started.
 * `--budget-ms` sets what the paired rounds may cost (default DEFAULT_SCENARIO_BUDGET_MS: get-by-id
 * then fits 23 to 29 of 32 rounds). VALIDATE_DUMP=<dir> keeps each run's duet.json and comparison.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { medianOf } from '../src/common/statistics.js';
import { loadThresholds } from '../src/config/thresholds.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { prepareHeadArm, type Arm } from '../src/duet/arms.js';
import { DEFAULT_ROUNDS } from '../src/duet/coordinator.js';
import type { ArmName } from '../src/duet/duet-types.js';
import { buildHeadDocument } from '../src/duet/head-document.js';
import { judgeDuet } from '../src/duet/paired-compare.js';
import { pairRounds } from '../src/duet/paired-metric.js';
import type { DuetRun } from '../src/duet/duet-types.js';
import { runDuetGate } from '../src/duet/run-duet.js';
import { formatDuration } from '../src/report/format.js';
import type { Comparison, PairedEvidence } from '../src/verdict/types.js';
import { pairedChange, standardErrorOf } from './duet-sensitivity.js';
import { dump, duetLog, log, quietProgress, resolveValidationSettings } from './validation-settings.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    busy: { type: 'string', default: '40,100' },
    rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
    users: { type: 'string', default: '10000' },
    'budget-ms': { type: 'string' },
  },
});
const TARGET = 'bench.crud.get_by_id';
const METRICS = ['cpu_per_call_ms', 'avg_ms'] as const;
type Judged = (typeof METRICS)[number];
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const busy = values.busy === '' ? [] : values.busy!.split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got '${values.runs}'`);
if (busy.some((us) => !Number.isInteger(us) || us < 1)) throw new Error(`--busy must list whole numbers of microseconds above 0, got '${values.busy}'`);

const quiet = quietProgress;
/** `--budget-ms`: what the scenario's paired rounds may cost (both arms), instead of the duet's default. */
const budget = values['budget-ms'] === undefined ? {} : { scenarioBudgetMs: Number(values['budget-ms']) };
if (budget.scenarioBudgetMs !== undefined && !(budget.scenarioBudgetMs > 0)) throw new Error(`--budget-ms must be a number of ms above 0, got '${values['budget-ms']}'`);

/** The paired evidence of the target's `metric`, when it was judged on the rounds. */
function evidenceOf(comparison: Comparison, metric: Judged): PairedEvidence | undefined {
  const verdict = comparison.verdicts.find((v) => v.scenarioId === TARGET && v.metric === metric);
  const paired = verdict && 'paired' in verdict ? verdict.paired : undefined;
  return paired?.method === 'rounds' ? paired : undefined;
}

/**
 * The standard error (percent) of the target's `metric` on its planned rounds alone, the extension
 * left out: what a probe with as many rounds of the same blocks is compared with
 * (npm run probe:bare -- --rounds <planned> --block-ms 12.5).
 */
function plannedSe(duet: DuetRun, metric: Judged): { se: number; planned: number } {
  const scenario = duet.scenarios.find((s) => s.id === TARGET);
  if (!scenario) return { se: NaN, planned: 0 };
  const planned = scenario.rounds.length - (scenario.extendedBy ?? 0);
  const { head, base } = pairRounds({ ...scenario, rounds: scenario.rounds.slice(0, planned) }, metric);
  return { se: pairedChange(head, base).sePercent, planned };
}

/** One mode's tally: runs, regressed outcomes per metric, the standard errors (percent) seen, in all and on the planned rounds. */
interface Tally {
  runs: number;
  regressed: Record<Judged, number>;
  se: Record<Judged, number[]>;
  plannedSe: Record<Judged, number[]>;
  change: Record<Judged, number[]>;
}
const newTally = (): Tally => ({
  runs: 0,
  regressed: { cpu_per_call_ms: 0, avg_ms: 0 },
  se: { cpu_per_call_ms: [], avg_ms: [] },
  plannedSe: { cpu_per_call_ms: [], avg_ms: [] },
  change: { cpu_per_call_ms: [], avg_ms: [] },
});

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '?' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
try {
  const thresholds = await loadThresholds('thresholds.json');
  const settings = resolveValidationSettings(thresholds, serverUrl, Number(values.users));
  const bundle = await prepareHeadArm(process.cwd());
  const modes: { name: string; head: Arm }[] = [
    { name: 'A/A', head: bundle },
    ...busy.map((us) => ({ name: `busy +${us} us`, head: { ...bundle, env: { PERF_GATE_WORKER_TEST_REGRESSION: `busy-wait:${us}:${TARGET}` } } })),
  ];
  const tallies = new Map(modes.map((m) => [m.name, newTally()]));
  const started = performance.now();
  log(`CPU per call validation: ${runs} cycles of ${modes.map((m) => m.name).join(', ')} on ${TARGET}, ${rounds} rounds`);
  for (let i = 0; i < runs; i++) {
    for (const [index, mode] of modes.entries()) {
      const load = loadavg()[0]!;
      const arms: Record<ArmName, Arm> = { head: mode.head, base: { ...bundle, name: 'base' } };
      const duet = await runDuetGate({ arms, settings, thresholds, selection: { scenarios: [TARGET] }, rounds, ...budget, progress: quiet, log: duetLog });
      const head = buildHeadDocument(duet, 'validate-cpu');
      const comparison = judgeDuet({ duet, head, thresholds });
      await dump(`duet-${index}-${i}`, duet);
      await dump(`comparison-${index}-${i}`, comparison);
      const tally = tallies.get(mode.name)!;
      tally.runs++;
      const parts = METRICS.map((metric) => {
        const paired = evidenceOf(comparison, metric);
        if (!paired) return `${metric} not judged`;
        if (paired.outcome === 'regressed') tally.regressed[metric]++;
        const low = paired.interval?.lowPercent;
        const high = paired.interval?.highPercent;
        const se = low != null && high != null ? standardErrorOf({ lowPercent: low, highPercent: high }) * 100 : NaN;
        if (Number.isFinite(se)) tally.se[metric].push(se);
        if (paired.changePercent !== null) tally.change[metric].push(paired.changePercent);
        const planned = plannedSe(duet, metric);
        if (Number.isFinite(planned.se)) tally.plannedSe[metric].push(planned.se);
        return `${metric} ${pct(paired.changePercent)} (${pct(low)} to ${pct(high)}, se ${se.toFixed(1)}%, ${paired.pairs} pairs; planned ${planned.planned}, se ${planned.se.toFixed(1)}%) ${paired.outcome}`;
      });
      log(`${i + 1}/${runs} ${mode.name}: load ${load.toFixed(2)}, ${formatDuration(duet.timings.wallMs)}; ${parts.join('; ')}`);
    }
  }
  const lines = [...tallies].map(([name, t]) => {
    const what = name === 'A/A' ? 'flagged a regression' : 'caught';
    const median = (xs: number[]) => (xs.length ? medianOf(xs).toFixed(1) : '?');
    const metric = (m: Judged) =>
      `${m} ${what} ${t.regressed[m]}/${t.runs} (median change ${pct(t.change[m].length ? medianOf(t.change[m]) : NaN)}, median se ${median(t.se[m])}%, on the planned rounds ${median(t.plannedSe[m])}%)`;
    return `${name}: ${METRICS.map(metric).join('; ')}`;
  });
  process.stdout.write(['', `CPU per call validation (${TARGET}, ${rounds} rounds, ${((performance.now() - started) / 60000).toFixed(1)} min)`, ...lines, ''].join('\n'));
  const aa = tallies.get('A/A')!;
  process.exitCode = aa.regressed.cpu_per_call_ms <= Math.floor(runs / 20) ? 0 : 1;
} finally {
  await embedded?.stop();
}
