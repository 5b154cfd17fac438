/**
 * `perf-gate run --against <ref>`: prepares both arms, runs the duet, judges head against base,
 * writes `duet.json` and the head's results document; the caller prints and writes the reports. When the
 * base cannot be prepared (or its worker cannot start), says why in one line and lets the caller
 * run the single-arm gate instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import { formatDuration } from '../report/format.js';
import { writeResults } from '../results/results-io.js';
import type { ResultsDocument } from '../results/types.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import type { Selection } from '../suites/selection.js';
import { judgeDuet } from './paired-compare.js';
import type { Thresholds } from '../verdict/thresholds.js';
import type { Comparison } from '../verdict/types.js';
import { bundleArm, prepareBaseArm, prepareHeadArm, type Arm, type BaseArmResult } from './arms.js';
import { DuetSetupError } from './coordinator.js';
import type { DuetRun } from './duet-types.js';
import { buildHeadDocument } from './head-document.js';
import { projectHeadArm, prepareProjectBaseArm, type ProjectArmsRequest } from './project-arms.js';
import { runDuetGate } from './run-duet.js';

/** The arms of a project's duet: the working tree, and the base commit's worktree with its dependencies. */
async function prepareProjectArms(input: DuetCommandInput, project: ProjectArmsRequest): Promise<{ base: BaseArmResult; head: Arm; baseMs: number }> {
  const started = performance.now();
  const base = await prepareProjectBaseArm(project, input.against, { fetch: input.fetchBase ?? false, log: input.log });
  return { base, head: projectHeadArm(project, input.git.sha), baseMs: performance.now() - started };
}

/** `done`: the verdict and a line saying where the time went; `fallback`: why the base arm could not be had. */
export type DuetCommandOutcome =
  | { kind: 'done'; comparison: Comparison; results: ResultsDocument; timings: string }
  | { kind: 'fallback'; reason: string };

export interface DuetCommandInput {
  against: string;
  rounds: number;
  selection: Selection;
  /** The run's settings, read once at the entry (server, data layer, watchdog, size). */
  settings: Settings;
  thresholds: Thresholds;
  /**
   * Where the head's results document goes; duet.json is written next to it. Unset: nothing is
   * written (the action writes its report files itself, without following symlinks).
   */
  output?: string;
  /** Baseline runs, newest first: the trend chart's history (the verdict does not read them). */
  history: readonly ResultsDocument[];
  git: { sha?: string; ref?: string };
  /** The repository whose working tree is the head (its esbuild config builds the worker). */
  repoRoot: string;
  /**
   * A bundle folder holding the head's worker.js, used as it is instead of building the working
   * tree (the action: its own dist/, which has no esbuild or node_modules next to it).
   */
  headBundle?: string;
  /** Fetch the base commit from origin when the checkout lacks it (the action's shallow checkout). */
  fetchBase?: boolean;
  /** A user's project: both arms run this perf-gate's worker on the project (working tree and base worktree). */
  project?: Omit<ProjectArmsRequest, 'repoRoot'>;
  progress: ProgressReporter;
  log: (line: string) => void;
}

/** Where the time went: the arms' preparation (apart from the run), the setups, each category. */
export function renderDuetTimings(duet: DuetRun): string {
  const { preparation, setupMs, wallMs, categories } = duet.timings;
  const prep = preparation ? `preparation (not in the run): head ${formatDuration(preparation.headMs)}, base ${formatDuration(preparation.baseMs)}; ` : '';
  const perCategory = Object.entries(categories).map(([name, ms]) => `${name} ${formatDuration(ms ?? 0)}`);
  return `time: ${prep}setup head ${formatDuration(setupMs.head)}, base ${formatDuration(setupMs.base)} (in parallel); ${perCategory.join(', ')} (both arms); run ${formatDuration(wallMs)}`;
}

/**
 * Runs the duet and judges it; the caller writes the reports and turns the verdict into the exit
 * code. `fallback` when the base arm cannot be had.
 */
export async function runDuetCommand(input: DuetCommandInput): Promise<DuetCommandOutcome> {
  const { log } = input;
  if (input.project) {
    const { base, head, baseMs } = await prepareProjectArms(input, { ...input.project, repoRoot: input.repoRoot });
    if (base.kind === 'unavailable') {
      input.progress.close();
      return { kind: 'fallback', reason: base.reason };
    }
    log(`arms prepared: head ${input.project.projectDir}; base ${base.arm.sha?.slice(0, 12)} worktree in ${formatDuration(baseMs)}`);
    return runArms(input, { head, base: base.arm }, { headMs: 0, baseMs });
  }
  const baseStarted = performance.now();
  const base = await prepareBaseArm(input.repoRoot, input.against, { fetch: input.fetchBase ?? false });
  const baseMs = performance.now() - baseStarted;
  if (base.kind === 'unavailable') {
    input.progress.close();
    return { kind: 'fallback', reason: base.reason };
  }
  const headStarted = performance.now();
  let head: Arm;
  if (input.headBundle === undefined) {
    head = await prepareHeadArm(input.repoRoot, input.git.sha);
  } else {
    const bundled = bundleArm('head', input.headBundle, input.git.sha);
    if (!bundled) {
      input.progress.close();
      return { kind: 'fallback', reason: `the head's bundle folder ${input.headBundle} has no worker.js` };
    }
    head = bundled;
  }
  const headMs = performance.now() - headStarted;
  const baseHow = base.reused ? 'reused' : 'extracted from git';
  const headHow = input.headBundle === undefined ? `built in ${formatDuration(headMs)}` : `from ${input.headBundle}`;
  log(`arms prepared: head bundle ${headHow}; base ${base.arm.sha?.slice(0, 12)} ${baseHow} in ${formatDuration(baseMs)}`);
  return runArms(input, { head, base: base.arm }, { headMs, baseMs });
}

/** Runs the duet of prepared arms, writes duet.json and the head's document, and judges it. */
async function runArms(input: DuetCommandInput, arms: { head: Arm; base: Arm }, preparation: { headMs: number; baseMs: number }): Promise<DuetCommandOutcome> {
  const { log } = input;
  let duet;
  try {
    duet = await runDuetGate({
      arms,
      settings: input.settings,
      thresholds: input.thresholds,
      selection: input.selection,
      rounds: input.rounds,
      preparation,
      progress: input.progress,
      log,
    });
  } catch (error) {
    if (error instanceof DuetSetupError && error.arm === 'base') return { kind: 'fallback', reason: error.message };
    throw error;
  }
  const headDocument = buildHeadDocument(duet, input.git.ref);
  if (input.output !== undefined) {
    const duetPath = path.join(path.dirname(input.output), 'duet.json');
    await mkdir(path.dirname(duetPath), { recursive: true });
    await writeFile(duetPath, `${JSON.stringify(duet, null, 2)}\n`);
    await writeResults(input.output, headDocument);
    log(`duet rounds written to ${duetPath}; the head's results to ${input.output}`);
  }
  const comparison = judgeDuet({ duet, head: headDocument, thresholds: input.thresholds, history: input.history });
  return { kind: 'done', comparison, results: headDocument, timings: renderDuetTimings(duet) };
}
