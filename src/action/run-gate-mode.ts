/**
 * `mode: gate`: plan (no database), set up and run the scenarios, compare, report, publish. Returns
 * why the step fails, if it does; main.ts is the one place that fails it.
 */
import type { GateInputs } from '../config/action-inputs.js';
import { decideComment } from '../publish/comment-policy.js';
import { publishComment, storeBaseline } from '../publish/publish.js';
import { buildRunUrl, renderReportBodies, type ReportBodies } from '../publish/report-bodies.js';
import { writeReportFiles } from '../publish/report-files.js';
import { ACTION_STORE_BASELINE } from '../publish/report-words.js';
import type { RunContextDocument } from '../publish/run-context-file.js';
import { renderConsole } from '../report/console.js';
import type { ActionIo } from './action-io.js';
import { setReportOutputs } from './action-outputs.js';
import { planGate, type GatePlan } from './gate-plan.js';
import { judgeGate, type JudgedGate } from './judge-gate.js';
import { decideStepFailure } from './step-verdict.js';

export interface ModeResult {
  /** Why the step fails; undefined when it passes. */
  failure: string | undefined;
}

/**
 * Runs the gate end to end. `bundleDir` is the folder of the running dist/index.js, whose
 * worker.js is a duet's head arm.
 */
export async function runGateMode(inputs: GateInputs, io: ActionIo, env: NodeJS.ProcessEnv, bundleDir: string): Promise<ModeResult> {
  const plan = await io.group('perf-gate: settings, thresholds and history', () => planGate(inputs, io, env, bundleDir));
  io.debug(`cold start: ${Math.round(performance.now())} ms from process start to the first database query`);
  const judged = await judgeGate(inputs, plan, io, bundleDir, env);
  await io.group('perf-gate: compare', async () => io.info(renderConsole(judged.comparison, { storeBaseline: ACTION_STORE_BASELINE })));
  const bodies = renderReportBodies(judged.comparison, {
    commentKey: inputs.commentKey,
    thresholdsChange: describeThresholds(plan),
    notes: judged.headlineNotes,
    runUrl: buildRunUrl(env),
    redact: io.redact,
  });
  await io.group('perf-gate: report', () => writeReport(inputs, plan, judged, bodies.summary, io));
  await io.group('perf-gate: publish', () => publish(inputs, plan, judged, bodies, io));
  // The verdict alone decides: publishing only warns (see publish.ts).
  return { failure: decideStepFailure(judged.comparison.outcome, inputs.failOn) };
}

/** The thresholds lines of the comment: what the PR changes, and notes about where they came from. */
function describeThresholds(plan: GatePlan): string[] {
  return [...plan.thresholds.notes, ...plan.thresholds.change];
}

async function writeReport(inputs: GateInputs, plan: GatePlan, judged: JudgedGate, summary: string, io: ActionIo): Promise<void> {
  const context: RunContextDocument = {
    schemaVersion: 1,
    repository: `${plan.context.repository.owner}/${plan.context.repository.repo}`,
    event: plan.context.eventName,
    prNumber: plan.prNumber ?? null,
    headSha: plan.context.kind === 'other' ? plan.context.sha : plan.context.headSha,
    thresholdsChange: plan.thresholds.change,
    notes: plan.thresholds.notes,
    headlineNotes: judged.headlineNotes,
  };
  await writeReportFiles(inputs, { results: judged.results, comparison: judged.comparison, context });
  io.info(`results: ${inputs.resultsPath}\ncomparison: ${inputs.comparisonPath}`);
  await io.writeSummary(summary);
  setReportOutputs(io, judged.comparison.outcome, inputs);
}

async function publish(inputs: GateInputs, plan: GatePlan, judged: JudgedGate, bodies: ReportBodies, io: ActionIo): Promise<void> {
  const { github } = plan;
  if (!github) return;
  const decision = decideComment(inputs.comment, plan.prNumber, judged.comparison.outcome);
  const url = await publishComment({ ...github, decision, body: bodies.comment, commentKey: inputs.commentKey }, io);
  io.setOutput('comment-url', url ?? '');
  await storeBaseline({ store: github.store, decision: plan.baseline, results: judged.results, retention: inputs.retention }, io);
}
