/**
 * `perf-gate run --against <ref>`: prepares both arms, runs the duet, writes `duet.json` and the
 * head's results document, prints the provisional table. When the base cannot be prepared (or its
 * worker cannot start), says why in one line and lets the caller run the single-arm gate instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Thresholds } from '../config/thresholds.js';
import type { RunSize } from '../gate/run-size.js';
import { formatDuration } from '../report/format.js';
import { writeResults } from '../results/results-io.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import type { Selection } from '../suites/selection.js';
import { prepareBaseArm, prepareHeadArm } from './arms.js';
import { DuetSetupError } from './coordinator.js';
import { renderDuetTable } from './duet-table.js';
import { buildHeadDocument } from './head-document.js';
import { runDuetGate } from './run-duet.js';

export type DuetCommandOutcome = { kind: 'done'; code: number } | { kind: 'fallback'; reason: string };

export interface DuetCommandInput {
  against: string;
  rounds: number;
  selection: Selection;
  size: RunSize;
  thresholds: Thresholds;
  /** Where the head's results document goes; duet.json is written next to it. */
  output: string;
  serverUrl: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  git: { sha?: string; ref?: string };
  /** The repository whose working tree is the head (its esbuild config builds the worker). */
  repoRoot: string;
  stdout: { write(text: string): unknown };
  progress: ProgressReporter;
  log: (line: string) => void;
}

/** Exit code 1 when a scenario errored on either arm, else 0 (the paired verdict is not in yet). */
export async function runDuetCommand(input: DuetCommandInput): Promise<DuetCommandOutcome> {
  const { log } = input;
  const baseStarted = performance.now();
  const base = await prepareBaseArm(input.repoRoot, input.against);
  const baseMs = performance.now() - baseStarted;
  if (base.kind === 'unavailable') {
    input.progress.close();
    return { kind: 'fallback', reason: base.reason };
  }
  const headStarted = performance.now();
  const head = await prepareHeadArm(input.repoRoot, input.git.sha);
  const headMs = performance.now() - headStarted;
  const baseHow = base.reused ? 'reused' : 'extracted from git';
  log(`arms prepared: head bundle built in ${formatDuration(headMs)}; base ${base.arm.sha?.slice(0, 12)} ${baseHow} in ${formatDuration(baseMs)}`);
  let duet;
  try {
    duet = await runDuetGate({
      arms: { head, base: base.arm },
      serverUrl: input.serverUrl,
      env: input.env,
      thresholds: input.thresholds,
      selection: input.selection,
      rounds: input.rounds,
      size: input.size,
      preparation: { headMs, baseMs },
      progress: input.progress,
      log,
    });
  } catch (error) {
    if (error instanceof DuetSetupError && error.arm === 'base') return { kind: 'fallback', reason: error.message };
    throw error;
  }
  const duetPath = path.join(path.dirname(input.output), 'duet.json');
  await mkdir(path.dirname(duetPath), { recursive: true });
  await writeFile(duetPath, `${JSON.stringify(duet, null, 2)}\n`);
  await writeResults(input.output, buildHeadDocument(duet, input.git.ref));
  input.stdout.write(`\n${renderDuetTable(duet)}`);
  log(`duet rounds written to ${duetPath}; the head's results to ${input.output}`);
  return { kind: 'done', code: duet.scenarios.some((s) => s.status === 'errored') ? 1 : 0 };
}
