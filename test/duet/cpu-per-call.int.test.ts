/**
 * The client's CPU per call in a duet: both arms' workers (the bundle of the current tree, an A/A
 * duet on the test server) record cpu_per_call_ms in every round of a bench scenario, next to the
 * wall time; the head's document folds it over all calls; the verdict judges it head against base
 * on the rounds' pairs. No assertion on how fast the machine is: presence, shape, positivity and
 * plausibility against the wall time only.
 */
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Arm } from '../../src/duet/arms.js';
import { runDuet } from '../../src/duet/coordinator.js';
import type { DuetRun } from '../../src/duet/duet-types.js';
import { buildHeadDocument } from '../../src/duet/head-document.js';
import { judgeDuet } from '../../src/duet/paired-compare.js';
import { parseThresholds } from '../../src/config/thresholds.js';
import { validateResults } from '../../src/results/results-io.js';
import type { ScenarioResult } from '../../src/results/types.js';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import { DEFAULT_SUITE_OPTIONS } from '../../src/suites/scenario.js';
import { buildBundle, makeTempFolder, removeFolder } from '../action/support/action-bundle.js';
import { serverUrl } from '../support/database.js';

const ID = 'bench.crud.get_by_id';
let temp: string;
let duet: DuetRun;

beforeAll(async () => {
  temp = await makeTempFolder('perf-gate-duet-cpu-test-');
  const worker = path.join(await buildBundle(temp), 'worker.js');
  const arm = (name: Arm['name']): Arm => ({ name, command: [process.execPath, worker] });
  duet = await runDuet({
    arms: { head: arm('head'), base: arm('base') },
    serverUrl: serverUrl(),
    settings: DEFAULT_DB_SETTINGS,
    suite: { ...DEFAULT_SUITE_OPTIONS, scale: 0.2 },
    seed: 1234,
    seedUsers: 300,
    selection: { scenarios: [ID] },
    rounds: 4,
    costPass: false,
    progress: { scenarioStarted() {}, scenarioFinished() {}, categoryFinished() {}, close() {} },
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await removeFolder(temp);
});

/** The per-call figures of one arm's round: CPU, wall time of the block per call, calls. */
function perCall(result: ScenarioResult | undefined): { cpu: number; blockMsPerCall: number; calls: number } {
  expect(result?.status).toBe('passed');
  const metrics = result!.metrics;
  expect(metrics.cpu_per_call_ms).toMatchObject({ unit: 'ms', direction: 'lower' });
  return { cpu: metrics.cpu_per_call_ms!.value, blockMsPerCall: 1000 / metrics.ops_per_sec!.value, calls: metrics.total!.value };
}

describe('CPU per call in a duet', () => {
  it('is recorded in every round of both arms: positive, and at most the block wall time per call on every core', () => {
    const scenario = duet.scenarios.find((s) => s.id === ID)!;
    expect(scenario.rounds.length).toBe(4);
    for (const round of scenario.rounds) {
      for (const arm of [round.head, round.base]) {
        const { cpu, blockMsPerCall, calls } = perCall(arm);
        expect(cpu).toBeGreaterThan(0);
        // The CPU clock's granularity (a few ms at worst) spread over the block's calls.
        expect(cpu).toBeLessThanOrEqual(blockMsPerCall * availableParallelism() + 5 / calls);
      }
    }
  });

  it("is folded over all calls into the head's document, and judged head against base on the rounds' pairs", () => {
    const head = buildHeadDocument(duet, 'cpu-test');
    expect(() => validateResults(head, 'the head document')).not.toThrow();
    const scenario = duet.scenarios.find((s) => s.id === ID)!;
    const rounds = scenario.rounds.map((r) => perCall(r.head));
    const expected = rounds.reduce((sum, r) => sum + r.cpu * r.calls, 0) / rounds.reduce((sum, r) => sum + r.calls, 0);
    const folded = head.scenarios.find((s) => s.id === ID)!.metrics.cpu_per_call_ms!;
    expect(folded.value).toBeCloseTo(expected, 12);

    const comparison = judgeDuet({ duet, head, thresholds: parseThresholds({}, 'no thresholds') });
    const verdict = comparison.verdicts.find((v) => v.scenarioId === ID && v.metric === 'cpu_per_call_ms');
    expect(verdict && 'paired' in verdict ? verdict.paired?.method : undefined).toBe('rounds');
    expect(verdict && 'paired' in verdict ? verdict.paired?.pairs : undefined).toBe(4);
  });
});
