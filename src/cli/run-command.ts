/**
 * `perf-gate run` (and `npm start`), in the action's four steps: plan (flags, environment,
 * thresholds, scenarios, history; bad input exits 2 before any server starts), run (the gate run the
 * action shares, run/run-gate.ts; or with --against, head against base in one duet run,
 * duet/duet-command.ts), report (files and terminal), publish (--save-baseline).
 */
import { TOOL_VERSION } from '../common/version.js';
import { findDatabaseUrlSecrets, redactSecrets } from '../config/redact.js';
import { runDuetCommand } from '../duet/duet-command.js';
import { readGitInfo } from '../run/git-info.js';
import { runGate } from '../run/run-gate.js';
import { createProgress } from '../suites/harness/progress.js';
import type { CommandIo } from './compare-command.js';
import { readRunFlags, RUN_USAGE } from './run-flags.js';
import { planRun, readLocalHistory, type RunPlan } from './run-plan.js';
import { writeDuetReport, writeRunReport } from './run-report.js';
import { saveBaseline } from './save-baseline.js';

/** The errors that are bad input (exit 2) rather than a failed run. */
const BAD_INPUT = ['UsageError', 'SettingError', 'SelectionError'];

/**
 * Migrates and seeds a database of its own, runs the chosen scenarios, compares them with the local
 * baseline history, prints the summary and the verdict, writes the results document, and stores it
 * as a baseline when asked. Exit code: 1 on a failing verdict, 0 otherwise, 2 on bad input.
 */
export async function runRun(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const secrets = env.DATABASE_URL ? findDatabaseUrlSecrets(env.DATABASE_URL) : [];
  const log = (line: string) => io.stderr.write(`${redactSecrets(line, secrets)}\n`);
  let plan: RunPlan;
  try {
    const flags = readRunFlags(argv);
    if (flags.help) {
      io.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    plan = await planRun(flags, env);
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
      repoRoot: process.cwd(),
      progress: createProgress(process.stderr),
      log,
    });
    if (outcome.kind === 'done') {
      await writeDuetReport(flags, outcome.comparison, outcome.timings, io);
      return outcome.comparison.outcome.kind === 'fail' ? 1 : 0;
    }
    log(`duet unavailable, running the single-arm gate against the history: ${outcome.reason}`);
  }
  const judged = await runGate({
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
