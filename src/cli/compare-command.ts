import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeError } from '../common/error-message.js';
import { loadThresholds, parseThresholds } from '../config/thresholds.js';
import { LocalDirectoryStore } from '../publish/local-store.js';
import { formatComparisonJson } from '../report/comparison-schema.js';
import { renderConsole } from '../report/console.js';
import { readResults } from '../results/results-io.js';
import type { ResultsDocument } from '../results/types.js';
import { compareToBaseline } from '../verdict/compare.js';
import type { Thresholds } from '../verdict/thresholds.js';
import { COMPARE_STORE_BASELINE } from './cli-words.js';
import { readFlag, UsageError } from './flags.js';
import { renderMarkdownFile } from './markdown-file.js';

/** Where the command writes: `process.stdout` / `process.stderr`, or a test double. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE =
  'usage: perf-gate compare --current results.json [--baseline DIR|FILE] [--branch main] ' +
  '[--thresholds thresholds.json] [--markdown out.md] [--json out.json]';

/** The flags of `compare`, parsed. */
interface CompareFlags {
  current: string;
  baseline: string | undefined;
  branch: string;
  thresholds: string | undefined;
  markdown: string | undefined;
  json: string | undefined;
}


function readFlags(argv: string[]): CompareFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        current: { type: 'string' },
        baseline: { type: 'string' },
        branch: { type: 'string', default: 'main' },
        thresholds: { type: 'string' },
        markdown: { type: 'string' },
        json: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${describeError(error)}\n${USAGE}`);
  }
  if (!values.current) throw new UsageError(`--current is required: the results document of this run\n${USAGE}`);
  const { current, baseline, branch, thresholds, markdown, json } = values;
  return { current, baseline, branch, thresholds, markdown, json };
}

/** --thresholds, else ./thresholds.json, else the built-in defaults (no absolute limits). */
async function readThresholds(flag: string | undefined, io: CommandIo): Promise<Thresholds> {
  if (flag) return readFlag('thresholds', flag, () => loadThresholds(flag));
  if (existsSync('thresholds.json')) return readFlag('thresholds', 'thresholds.json', () => loadThresholds('thresholds.json'));
  io.stderr.write('warning: no thresholds.json here and no --thresholds: using built-in defaults, no absolute limits\n');
  return parseThresholds({}, 'built-in defaults');
}

/** The baseline history: none, one results file, or the newest runs of a branch in a store directory. */
async function readBaseline(flags: CompareFlags, limit: number, io: CommandIo): Promise<ResultsDocument[]> {
  const path = flags.baseline;
  if (!path) return [];
  return readFlag('baseline', path, async () => {
    if (!(await stat(path)).isDirectory()) return [await readResults(path)];
    const history = await new LocalDirectoryStore(path).readHistory({ branch: flags.branch, limit });
    for (const skipped of history.skipped) io.stderr.write(`warning: skipped ${skipped.location}: ${skipped.reason}\n`);
    if (history.runs.length === 0) io.stderr.write(`warning: no baseline runs of branch '${flags.branch}' in ${path}\n`);
    return history.runs;
  });
}

/**
 * `perf-gate compare`: compares a results document with a baseline and prints the console report.
 * Returns the exit code: 1 on a failing verdict, 0 otherwise, 2 on bad input (the message names the
 * flag and the value).
 */
export async function runCompare(argv: string[], io: CommandIo): Promise<number> {
  try {
    const flags = readFlags(argv);
    const thresholds = await readThresholds(flags.thresholds, io);
    const current = await readFlag('current', flags.current, () => readResults(flags.current));
    const history = await readBaseline(flags, thresholds.history, io);
    const comparison = compareToBaseline({ current, history, thresholds });
    io.stdout.write(renderConsole(comparison, { storeBaseline: COMPARE_STORE_BASELINE }));
    const { markdown, json } = flags;
    if (markdown) await readFlag('markdown', markdown, () => writeFile(markdown, renderMarkdownFile(comparison)));
    if (json) {
      await readFlag('json', json, () => writeFile(json, formatComparisonJson(comparison)));
    }
    return comparison.outcome.kind === 'fail' ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`perf-gate compare: ${error.message}\n`);
    return 2;
  }
}
