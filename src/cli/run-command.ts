/**
 * `perf-gate run` (and `npm start`), in the action's four steps: plan (flags, environment,
 * thresholds, scenarios, history; bad input exits 2 before any server starts), run (the gate run the
 * action shares, run/run-gate.ts; or with --against, head against base in one duet run,
 * duet/duet-command.ts), report (files and terminal), publish (--save-baseline).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TOOL_VERSION } from '../common/version.js';
import { findDatabaseUrlSecrets, redactSecrets } from '../config/redact.js';
import { runDuetCommand } from '../duet/duet-command.js';
import { readGitInfo } from '../run/git-info.js';
import { runGate } from '../run/run-gate.js';
import { createProgress } from '../suites/harness/progress.js';
import type { CommandIo } from './compare-command.js';
import { readRunFlags, RUN_USAGE } from './run-flags.js';
import { planRun, readLocalHistory, type EntryFiles, type RunPlan } from './run-plan.js';
import { writeDuetReport, writeRunReport } from './run-report.js';
import { saveBaseline } from './save-baseline.js';

/** The repository a project lives in (a package of a monorepo, or the repository itself). */
async function gitTopLevel(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return stdout.trim();
}

/** The errors that are bad input (exit 2) rather than a failed run. */
const BAD_INPUT = ['UsageError', 'SettingError', 'SelectionError', 'ProjectError'];

/**
 * Migrates and seeds a database of its own, runs the chosen scenarios, compares them with the local
 * baseline history, prints the summary and the verdict, writes the results document, and stores it
 * as a baseline when asked. Exit code: 1 on a failing verdict, 0 otherwise, 2 on bad input.
 */
export async function runRun(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv, entry: EntryFiles): Promise<number> {
  const secrets = env.DATABASE_URL ? findDatabaseUrlSecrets(env.DATABASE_URL) : [];
  const log = (line: string) => io.stderr.write(`${redactSecrets(line, secrets)}\n`);
  let plan: RunPlan;
  try {
    const flags = readRunFlags(argv);
    if (flags.help) {
      io.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    plan = await planRun(flags, env, entry);
  } catch (error) {
    if (!(error instanceof Error) || !BAD_INPUT.includes(error.name)) throw error;
    io.stderr.write(`perf-gate run: ${redactSecrets(error.message, secrets)}\n`);
    return 2;
  }
  const history = await readLocalHistory(plan, log);
  const git = readGitInfo({ sha: env.GITHUB_SHA, ref: env.GITHUB_REF });
  const { flags } = plan;
  if (flags.against !== undefined) {
    const outcome = await runDuetCommand({
      against: flags.against,
      rounds: flags.rounds,
      selection: { categories: flags.categories, scenarios: flags.scenarios },
      settings: plan.settings,
      thresholds: plan.thresholds,
      output: flags.output,
      history: history.runs,
      git,
      repoRoot: plan.project ? await gitTopLevel(plan.project.dir) : process.cwd(),
      ...(plan.project
        ? {
            project: {
              projectDir: plan.project.dir,
              perfFile: plan.project.perfFile,
              workerFile: entry.workerFile,
              ...(env.PERF_GATE_ARMS_CACHE ? { cacheDir: env.PERF_GATE_ARMS_CACHE } : {}),
            },
          }
        : {}),
      progress: createProgress(process.stderr),
      log,
    });
    if (outcome.kind === 'done') {
      await writeDuetReport(flags, outcome.comparison, outcome.timings, io);
      return outcome.comparison.outcome.kind === 'fail' ? 1 : 0;
    }
    log(`duet unavailable, running the single-arm gate against the history: ${outcome.reason}`);
  }
  log(`measuring ${plan.subject.description}`);
  const judged = await runGate({
    subject: plan.subject,
    settings: plan.settings,
    thresholds: plan.thresholds,
    definitions: plan.definitions,
    history: history.runs,
    label: { gitSha: git.sha, gitRef: git.ref, toolVersion: TOOL_VERSION },
    progress: createProgress(process.stderr),
    log,
  });
  await writeRunReport(plan.flags, judged, io, log);
  if (plan.flags['save-baseline']) {
    const request = { store: history.store, branch: plan.flags['baseline-branch'], results: judged.results, retention: plan.thresholds.retention };
    await saveBaseline(request, log);
  }
  return judged.comparison.outcome.kind === 'fail' ? 1 : 0;
}
