/**
 * `perf-gate run`, after the run: the results document, the summary and the verdict on the
 * terminal, and the --markdown and --json files when asked.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatComparisonJson } from '../report/comparison-schema.js';
import { renderConsole } from '../report/console.js';
import { renderRunSummary } from '../report/run-summary.js';
import { writeResults } from '../results/results-io.js';
import type { JudgedRun } from '../run/pipeline.js';
import { RUN_STORE_BASELINE } from './cli-words.js';
import type { CommandIo } from './compare-command.js';
import { renderMarkdownFile } from './markdown-file.js';
import type { RunFlags } from './run-flags.js';
import type { Comparison } from '../verdict/types.js';

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Writes --output, prints the summary table and the verdict, and writes --markdown and --json. */
export async function writeRunReport(flags: RunFlags, judged: JudgedRun, io: CommandIo, log: (line: string) => void): Promise<void> {
  const { results, comparison } = judged;
  await writeResults(flags.output, results);
  io.stdout.write(`\n${renderRunSummary(results)}\n${renderConsole(comparison, { storeBaseline: RUN_STORE_BASELINE })}`);
  log(`results written to ${flags.output}`);
  await writeComparisonFiles(flags, comparison);
}

/** The --markdown and --json files, when asked (a duet run writes its results and duet.json itself). */
export async function writeComparisonFiles(flags: RunFlags, comparison: Comparison): Promise<void> {
  if (flags.markdown) await writeText(flags.markdown, renderMarkdownFile(comparison, flags));
  if (flags.json) await writeText(flags.json, formatComparisonJson(comparison));
}

/** Prints a duet's verdict and where its time went, and writes --markdown and --json. */
export async function writeDuetReport(flags: RunFlags, comparison: Comparison, timings: string, io: CommandIo): Promise<void> {
  io.stdout.write(`\n${renderConsole(comparison, { storeBaseline: RUN_STORE_BASELINE })}${timings}\n`);
  await writeComparisonFiles(flags, comparison);
}
