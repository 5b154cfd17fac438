/**
 * The duet coordinator: two workers (head and base), each with its own scratch database on the
 * same server, seeded alike; every selected scenario runs in rounds alternating between the arms
 * (AB BA AB BA ..., the arm that starts drawn at random per scenario), each round a share of the
 * scenario's usual work, so both arms see the same machine at nearly the same moments.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Category, ScenarioStatus } from '../results/types.js';
import { toError } from '../common/error-message.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import type { SuiteOptions } from '../suites/scenario.js';
import type { Selection } from '../suites/selection.js';
import { ArmRunner, DEFAULT_WATCHDOG, type StartSettings, type WatchdogSettings } from './arm-runner.js';
import type { Arm } from './arms.js';
import { dropDatabasesByPrefix } from './drop-databases.js';
import type { ArmCost, ArmName, DuetArmInfo, DuetRun, DuetScenario } from './duet-types.js';
import { foldHeadRounds } from './fold-rounds.js';
import type { DataLayerSettings, HelloReply } from './protocol.js';
import { runScenarioRounds } from './round-loop.js';
import { DEFAULT_SCENARIO_BUDGET_MS, MIN_PAIRED_ROUNDS } from './round-plan.js';
import { planScenarios, type PlannedScenario } from './scenario-plan.js';

export const ROUNDS_BOUNDS = { min: 1, max: 64, whole: true } as const;
/** Paired rounds per arm by default: 32 pairs, then 32 more for a scenario that is extended (docs/duet-method.md). */
export const DEFAULT_ROUNDS = 32;
/** Restarts of a crashed or hung worker per arm before its remaining scenarios are errored. */
export const DEFAULT_MAX_RESTARTS = 2;

export interface DuetRequest {
  arms: Record<ArmName, Arm>;
  /** Server the workers create their databases on (the caller starts an embedded one if needed). */
  serverUrl: string;
  /**
   * The server URL an arm's worker is given instead of `serverUrl` (the same server reached another
   * way, e.g. through a loopback proxy of its own in the duet validation); databases are dropped on `serverUrl`.
   */
  armServerUrls?: Partial<Record<ArmName, string>>;
  settings: DataLayerSettings;
  /** Options of a full single-arm run; each round runs 1 / rounds of it. */
  suite: SuiteOptions;
  seed: number;
  seedUsers: number;
  selection: Selection;
  /** Rounds of a paired scenario at most, before its extension; each is 1/rounds of its work. */
  rounds: number;
  /** Count the selected scenarios' operations on both arms before the first round (default true). */
  costPass?: boolean;
  /** What a paired scenario's rounds may cost, both arms together (default DEFAULT_SCENARIO_BUDGET_MS). */
  scenarioBudgetMs?: number;
  /** Scenarios run once per arm at full size (default: none; the CLI's: ONCE_PER_ARM), and those of them whose arms run at the same time. */
  once?: Selection;
  sideBySide?: Selection;
  watchdog?: Partial<WatchdogSettings>;
  maxRestarts?: number;
  /** Asked after a paired scenario's rounds: true runs as many again (see RoundLoopContext.extend). */
  extend?: (scenario: DuetScenario) => boolean;
  /** Which arm starts each scenario (round-loop.ts roundOrder); default a fair coin per scenario. */
  firstArm?: (scenarioId: string) => ArmName;
  /** Time spent preparing the arms' builds, recorded in the run. */
  preparation?: { headMs: number; baseMs: number };
  progress: ProgressReporter;
  log: (line: string) => void;
}

/** An arm's worker could not be launched or set up: the duet cannot start. */
export class DuetSetupError extends Error {
  override readonly name = 'DuetSetupError';
  constructor(
    readonly arm: ArmName,
    message: string,
  ) {
    super(message);
  }
}

type Runners = Record<ArmName, ArmRunner>;

/** Runs `step` on both arms at once; the first arm that failed (head first) becomes a DuetSetupError. */
async function onBothArms<T>(runners: Runners, what: string, step: (runner: ArmRunner) => Promise<T>): Promise<Record<ArmName, T>> {
  const [head, base] = await Promise.allSettled([step(runners.head), step(runners.base)]);
  for (const [arm, settled] of [['head', head], ['base', base]] as const) {
    if (settled.status === 'rejected') throw new DuetSetupError(arm, `the ${arm} worker could not ${what}: ${toError(settled.reason).message}`);
  }
  return { head: (head as PromiseFulfilledResult<T>).value, base: (base as PromiseFulfilledResult<T>).value };
}

/** A fair coin: which arm starts a scenario (the order each round took is recorded in duet.json). */
const coinFlip = (): ArmName => (randomInt(2) === 0 ? 'head' : 'base');

function progressStatus(scenario: DuetScenario): ScenarioStatus {
  if (scenario.status === 'errored') return 'errored';
  const head = foldHeadRounds(scenario);
  if (head) return head.status;
  return scenario.rounds.some((r) => r.base?.status === 'failed') ? 'failed' : 'passed';
}

async function runPlan(
  plan: readonly PlannedScenario[],
  runners: Runners,
  request: DuetRequest,
  watchdog: WatchdogSettings,
): Promise<{ scenarios: DuetScenario[]; categories: Partial<Record<Category, number>> }> {
  const { progress } = request;
  const scenarios: DuetScenario[] = [];
  const categories: Partial<Record<Category, number>> = {};
  const tally = { passed: 0, failed: 0, errored: 0, wallMs: 0 };
  for (const [index, planned] of plan.entries()) {
    progress.scenarioStarted(planned.id, index, plan.length);
    const started = performance.now();
    const scenario = await runScenarioRounds(planned, {
      runners,
      plan: { rounds: request.rounds, budgetMs: request.scenarioBudgetMs ?? DEFAULT_SCENARIO_BUDGET_MS, minRounds: MIN_PAIRED_ROUNDS },
      once: request.once ?? {},
      sideBySide: request.sideBySide ?? {},
      watchdog,
      progress,
      ...(request.extend ? { extend: request.extend } : {}),
      firstArm: (request.firstArm ?? coinFlip)(planned.id),
    });
    scenarios.push(scenario);
    const status = progressStatus(scenario);
    const wallMs = performance.now() - started;
    progress.scenarioFinished(planned.id, status, wallMs);
    tally[status] += 1;
    tally.wallMs += wallMs;
    if (plan[index + 1]?.category !== planned.category) {
      progress.categoryFinished(planned.category, { ...tally });
      categories[planned.category] = (categories[planned.category] ?? 0) + tally.wallMs;
      Object.assign(tally, { passed: 0, failed: 0, errored: 0, wallMs: 0 });
    }
  }
  return { scenarios, categories };
}

function describeArm(runner: ArmRunner, hello: HelloReply, cost: ArmCost | undefined): DuetArmInfo {
  const ready = runner.ready!;
  return {
    toolVersion: hello.toolVersion,
    database: ready.database,
    fingerprint: ready.fingerprint,
    restarts: runner.restarts,
    ...(ready.calibration ? { calibration: ready.calibration } : {}),
    ...(cost ? { cost } : {}),
  };
}

/**
 * Both arms' cost passes, at once (counts and plans do not depend on timing), before any round, so
 * both count on their seeded data alone.
 */
async function countCosts(runners: Runners, plan: readonly PlannedScenario[], watchdog: WatchdogSettings, log: (line: string) => void): Promise<Record<ArmName, ArmCost>> {
  const ids = (arm: ArmName) => plan.filter((p) => p.arms.includes(arm)).map((p) => p.id);
  const [head, base] = await Promise.all([runners.head.countCost(ids('head'), watchdog.setupMs), runners.base.countCost(ids('base'), watchdog.setupMs)]);
  for (const [arm, cost] of [['head', head], ['base', base]] as const) {
    if (cost.kind === 'unavailable') log(`the ${arm} arm counted no costs: ${cost.reason}`);
  }
  return { head, base };
}

/**
 * The cost passes in workers of their own, set up alike (same seed, same data), stopped before the
 * timed workers are set up. A worker that ran the cost pass (a second ORM instance, the SQL
 * parser, plans) carried it into every timed round: in A/A duets of get-by-id on the 2-core
 * machine (2026-12-07, interleaved runs), the median paired standard error of avg_ms was 9.7% with
 * the pass in the timed workers against 7.8% without it at load 3, 17% against 7% at load 5.5.
 */
async function countCostsApart(runners: Runners, plan: readonly PlannedScenario[], watchdog: WatchdogSettings, log: (line: string) => void): Promise<Record<ArmName, ArmCost>> {
  try {
    await onBothArms(runners, 'be launched for the cost pass', (r) => r.spawn());
    await onBothArms(runners, 'set up its database for the cost pass', (r) => r.setUp());
    return await countCosts(runners, plan, watchdog, log);
  } finally {
    await Promise.allSettled([runners.head.stop(), runners.base.stop()]);
  }
}

/**
 * Runs a duet: launches both workers (their hellos give the catalogs, so a bad selection fails
 * before any setup), sets both up in parallel, runs the plan, and always stops the workers and
 * drops every database they made, whatever happened. A worker that crashes or hangs costs its arm
 * that scenario (errored) and is restarted for the next ones, at most `maxRestarts` times.
 */
export async function runDuet(request: DuetRequest): Promise<DuetRun> {
  const startedAt = new Date();
  const started = performance.now();
  const watchdog = { ...DEFAULT_WATCHDOG, ...request.watchdog };
  const runId = `perf_gate_duet_${randomBytes(3).toString('hex')}`;
  const startFor = (arm: ArmName): StartSettings => ({
    serverUrl: request.armServerUrls?.[arm] ?? request.serverUrl,
    databasePrefix: `${runId}_${arm}`,
    seed: request.seed,
    seedUsers: request.seedUsers,
    settings: request.settings,
    suite: request.suite,
    // The head's calibration goes into its results document. The base calibrates too, although
    // nothing reads it yet: calibrating inserts rows, and both databases must hold the same data.
    calibrate: true,
  });
  const maxRestarts = request.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const runner = (arm: ArmName) => new ArmRunner(arm, request.arms[arm], startFor(arm), watchdog, maxRestarts, request.log);
  const runners: Runners = { head: runner('head'), base: runner('base') };
  // The cost pass runs in workers of its own (countCostsApart); these never run it.
  const costRunners: Runners = { head: runner('head'), base: runner('base') };
  try {
    const hellos = await onBothArms(runners, 'be launched', (r) => r.spawn());
    const plan = planScenarios(hellos.head.scenarios, hellos.base.scenarios, request.selection);
    const costs = request.costPass === false ? undefined : await countCostsApart(costRunners, plan, watchdog, request.log);
    const ready = await onBothArms(runners, 'set up its database', (r) => r.setUp());
    const { scenarios, categories } = await runPlan(plan, runners, request, watchdog);
    return {
      schemaVersion: 1,
      run: {
        ...(request.arms.head.sha ? { headSha: request.arms.head.sha } : {}),
        ...(request.arms.base.sha ? { baseSha: request.arms.base.sha } : {}),
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        rounds: request.rounds,
        seed: request.seed,
        seedUsers: request.seedUsers,
        scale: request.suite.scale,
      },
      timings: {
        ...(request.preparation ? { preparation: request.preparation } : {}),
        setupMs: { head: ready.head.setupMs, base: ready.base.setupMs },
        wallMs: performance.now() - started,
        categories,
      },
      arms: { head: describeArm(runners.head, hellos.head, costs?.head), base: describeArm(runners.base, hellos.base, costs?.base) },
      scenarios,
    };
  } finally {
    await Promise.allSettled([runners.head.stop(), runners.base.stop(), costRunners.head.stop(), costRunners.base.stop()]);
    const dropped = await dropDatabasesByPrefix(request.serverUrl, [`${runId}_head`, `${runId}_base`], request.log).catch(
      (error: unknown) => {
        request.log(`could not look for leftover duet databases: ${toError(error).message}`);
        return [];
      },
    );
    if (dropped.length > 0) request.log(`dropped ${dropped.length} database(s) that killed workers left: ${dropped.join(', ')}`);
  }
}
