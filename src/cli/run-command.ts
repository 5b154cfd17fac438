import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { readDbSettings } from '../config/db-settings.js';
import { redactSecrets, findDatabaseUrlSecrets } from '../config/redact.js';
import { loadThresholds } from '../config/thresholds.js';
import { findUnstorableReason } from '../gate/baseline-eligibility.js';
import { readGitInfo } from '../gate/git-info.js';
import { runGate } from '../gate/run-gate.js';
import { buildSettingsEnv } from '../gate/settings-env.js';
import { SCALE_BOUNDS, SEED_BOUNDS, SEED_USERS_BOUNDS } from '../gate/run-size.js';
import { formatComparisonJson } from '../report/comparison-schema.js';
import { renderConsole } from '../report/console.js';
import { renderRunSummary } from '../report/run-summary.js';
import { writeResults } from '../results/results-io.js';
import { createProgress } from '../suites/harness/progress.js';
import { createSeed } from '../suites/harness/random.js';
import { ALL_SCENARIOS } from '../suites/registry.js';
import { selectScenarios } from '../suites/selection.js';
import { LocalDirectoryStore } from '../store/local-store.js';
import type { CommandIo } from './compare-command.js';
import { splitList } from '../config/action-inputs.js';
import { UsageError, readFlag, readNumberFlag } from './flags.js';
import { TOOL_VERSION } from '../version.js';
import { DEFAULT_ROUNDS, ROUNDS_BOUNDS } from '../duet/coordinator.js';
import { runDuetCommand } from '../duet/duet-command.js';
import { renderMarkdownFile } from './markdown-file.js';
import type { Comparison } from '../verdict/types.js';

const USAGE = `usage: perf-gate run [--categories pooling,retry,sessions,bench] [--scenarios id,...]
  [--output .perf-gate/results.json] [--markdown FILE] [--json FILE]
  [--baseline DIR (.perf-gate/baselines)] [--baseline-branch main] [--save-baseline]
  [--thresholds thresholds.json] [--users 10000] [--seed N] [--scale 1] [--keep-database] [--no-confirm-rerun]
  [--against REF [--rounds 32]]
Uses DATABASE_URL when set, else an embedded PostgreSQL. --against measures the working tree and
REF's commit (a branch: its merge base with HEAD) in the same run, in alternating rounds.`;

const OPTIONS = {
  categories: { type: 'string' },
  scenarios: { type: 'string' },
  output: { type: 'string', default: '.perf-gate/results.json' },
  markdown: { type: 'string' },
  json: { type: 'string' },
  baseline: { type: 'string', default: '.perf-gate/baselines' },
  'baseline-branch': { type: 'string', default: 'main' },
  'save-baseline': { type: 'boolean', default: false },
  thresholds: { type: 'string', default: 'thresholds.json' },
  users: { type: 'string', default: '10000' },
  seed: { type: 'string' },
  scale: { type: 'string', default: '1' },
  'keep-database': { type: 'boolean', default: false },
  'no-confirm-rerun': { type: 'boolean', default: false },
  against: { type: 'string' },
  rounds: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/** Stands in for the embedded server's URL, not known before it starts, when the settings are checked. */
const EMBEDDED_URL_PLACEHOLDER = 'postgresql://embedded';

function readRunFlags(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  return {
    ...values,
    users: readNumberFlag('users', values.users, SEED_USERS_BOUNDS),
    scale: readNumberFlag('scale', values.scale, SCALE_BOUNDS),
    seed: values.seed === undefined ? createSeed() : readNumberFlag('seed', values.seed, SEED_BOUNDS),
    categories: splitList(values.categories ?? ''),
    scenarios: splitList(values.scenarios ?? ''),
    rounds: readRoundsFlag(values),
  };
}

/** --rounds belongs to --against; a duet run is not a baseline (the history holds single-arm runs). */
function readRoundsFlag(values: { against?: string; rounds?: string; 'save-baseline'?: boolean }): number {
  if (values.against === undefined) {
    if (values.rounds !== undefined) throw new UsageError(`--rounds '${values.rounds}' needs --against <ref>`);
    return DEFAULT_ROUNDS;
  }
  if (values.against.trim() === '') throw new UsageError(`--against must name a git ref (a branch, tag or commit), got '${values.against}'`);
  if (values['save-baseline']) throw new UsageError('--save-baseline cannot be combined with --against: a duet run is not stored as a baseline');
  return values.rounds === undefined ? DEFAULT_ROUNDS : readNumberFlag('rounds', values.rounds, ROUNDS_BOUNDS);
}

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/**
 * `perf-gate run` (and `npm start`): migrates and seeds a database of its own, runs the chosen
 * scenarios, compares them with the local baseline history, prints the summary and the verdict,
 * writes the results document, and stores it as a baseline when asked. Exit code: 1 on a failing
 * verdict, 0 otherwise, 2 on bad input.
 */
export async function runRun(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const secrets = env.DATABASE_URL ? findDatabaseUrlSecrets(env.DATABASE_URL) : [];
  const log = (line: string) => io.stderr.write(`${redactSecrets(line, secrets)}\n`);
  let flags;
  let thresholds;
  let definitions;
  try {
    flags = readRunFlags(argv);
    if (flags.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const path = flags.thresholds;
    thresholds = await readFlag('thresholds', path, () => loadThresholds(path));
    // DATABASE_URL and every data-layer variable, before a server is started: bad input exits 2.
    readDbSettings(buildSettingsEnv(thresholds, env), env.DATABASE_URL || EMBEDDED_URL_PLACEHOLDER);
    definitions = selectScenarios(ALL_SCENARIOS, { categories: flags.categories, scenarios: flags.scenarios });
  } catch (error) {
    if (!(error instanceof Error) || !['UsageError', 'SettingError', 'SelectionError'].includes(error.name)) throw error;
    io.stderr.write(`perf-gate run: ${redactSecrets(error.message, secrets)}\n`);
    return 2;
  }
  const git = readGitInfo(env);
  const store = new LocalDirectoryStore(flags.baseline);
  const history = await store.readHistory({ branch: flags['baseline-branch'], limit: thresholds.history });
  for (const skipped of history.skipped) log(`warning: skipped stored run ${skipped.location}: ${skipped.reason}`);
  log(`baseline: ${history.runs.length} run(s) of '${flags['baseline-branch']}' in ${store.description}`);
  const writeReports = async (comparison: Comparison): Promise<number> => {
    if (flags.markdown) await writeText(flags.markdown, renderMarkdownFile(comparison));
    if (flags.json) await writeText(flags.json, formatComparisonJson(comparison));
    return comparison.outcome.kind === 'fail' ? 1 : 0;
  };
  if (flags.against !== undefined) {
    const outcome = await runDuetCommand({
      against: flags.against,
      rounds: flags.rounds,
      selection: { categories: flags.categories, scenarios: flags.scenarios },
      size: { users: flags.users, scale: flags.scale, seed: flags.seed },
      thresholds,
      output: flags.output,
      history: history.runs,
      serverUrl: env.DATABASE_URL || undefined,
      env,
      git,
      repoRoot: process.cwd(),
      stdout: io.stdout,
      progress: createProgress(process.stderr),
      log,
    });
    if (outcome.kind === 'done') return writeReports(outcome.comparison);
    log(`duet unavailable, running the single-arm gate against the history: ${outcome.reason}`);
  }

  const { results, comparison } = await runGate({
    serverUrl: env.DATABASE_URL || undefined,
    env,
    thresholds,
    definitions,
    history: history.runs,
    label: { gitSha: git.sha, gitRef: git.ref, toolVersion: TOOL_VERSION },
    confirmRerun: thresholds.confirmRerun && !flags['no-confirm-rerun'],
    size: { users: flags.users, scale: flags.scale, seed: flags.seed },
    keepDatabase: flags['keep-database'],
    progress: createProgress(process.stderr),
    log,
  });
  await writeResults(flags.output, results);
  io.stdout.write(`\n${renderRunSummary(results)}\n${renderConsole(comparison)}`);
  log(`results written to ${flags.output}`);
  const code = await writeReports(comparison);
  if (flags['save-baseline']) {
    const unstorable = findUnstorableReason(results);
    if (unstorable) log(`not stored as a baseline: ${unstorable}`);
    else {
      const where = await store.append(
        results,
        { branch: flags['baseline-branch'], sha: results.run.gitSha ?? 'local', startedAt: results.run.startedAt },
        thresholds.retention,
      );
      log(`stored as a baseline of '${flags['baseline-branch']}': ${where}`);
    }
  }
  return code;
}
