/**
 * How a gate run is judged. On a pull request with `compare: duet`, the head (the action's own
 * bundle, which in the repository's own `uses: ./` workflow is the pull request's code) runs against
 * the base commit's committed dist/ in one duet; when the base cannot be had, the run falls back to
 * the single arm against the baseline history and the comment says why in one line. Everything else
 * (a push, `compare: history`) is the single arm against the history, as stored baselines are.
 */
import path from 'node:path';
import { TOOL_VERSION } from '../common/version.js';
import type { GateInputs } from '../config/action-inputs.js';
import { runDuetCommand } from '../duet/duet-command.js';
import type { ResultsDocument } from '../results/types.js';
import { runGate, type GatePhase } from '../run/run-gate.js';
import { createPlainProgress } from '../suites/harness/progress.js';
import type { Comparison } from '../verdict/types.js';
import type { ActionIo } from './action-io.js';
import type { GatePlan } from './gate-plan.js';

export interface JudgedGate {
  /** The run's results document (in a duet, the head's). */
  results: ResultsDocument;
  comparison: Comparison;
  /** Lines for under the comment's headline: why a duet fell back to the history. */
  headlineNotes: string[];
}

const PHASE_TITLES: Record<GatePhase, string> = {
  setup: 'perf-gate: migrate and seed the database',
  run: 'perf-gate: run the scenarios',
};

/** Runs the scenarios and judges them; `bundleDir` is the folder of the running dist/index.js. */
export async function judgeGate(inputs: GateInputs, plan: GatePlan, io: ActionIo, bundleDir: string, env: NodeJS.ProcessEnv): Promise<JudgedGate> {
  const { context } = plan;
  let headlineNotes: string[] = [];
  if (inputs.compare === 'duet' && context.kind === 'pull_request') {
    const outcome = await io.group('perf-gate: duet, head against base', () =>
      runDuetCommand({
        against: context.baseSha,
        rounds: inputs.duetRounds,
        selection: plan.selection,
        settings: plan.settings,
        thresholds: plan.thresholds.thresholds,
        history: plan.history,
        // The checked-out commit (on pull_request, the merge commit): the code the head bundle is.
        git: { sha: context.sha, ref: context.ref },
        repoRoot: inputs.workspace,
        headBundle: bundleDir,
        ...(inputs.perfFile !== undefined
          ? {
              project: {
                projectDir: inputs.workingDirectory,
                perfFile: inputs.perfFile,
                workerFile: path.join(bundleDir, 'worker.js'),
                ...(env.PERF_GATE_ARMS_CACHE ? { cacheDir: env.PERF_GATE_ARMS_CACHE } : {}),
              },
            }
          : {}),
        fetchBase: true,
        progress: createPlainProgress({ write: (chunk: string) => io.info(chunk.replace(/\n$/, '')) }),
        log: io.info,
      }),
    );
    if (outcome.kind === 'done') {
      io.info(outcome.timings);
      return { results: outcome.results, comparison: outcome.comparison, headlineNotes };
    }
    io.warning(`duet unavailable, judging against the baseline history instead: ${outcome.reason}`);
    headlineNotes = [`Judged against the baseline history, not head against base: ${outcome.reason}.`];
  }
  const judged = await runGate({
    subject: plan.subject,
    settings: plan.settings,
    thresholds: plan.thresholds.thresholds,
    definitions: plan.definitions,
    history: plan.history,
    label: { gitSha: context.sha, gitRef: context.ref, toolVersion: TOOL_VERSION },
    progress: createPlainProgress({ write: (chunk: string) => io.info(chunk.replace(/\n$/, '')) }),
    log: io.info,
    phase: (name, work) => io.group(PHASE_TITLES[name], work),
  });
  return { results: judged.results, comparison: judged.comparison, headlineNotes };
}
