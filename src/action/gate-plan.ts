/**
 * Everything a gate run decides before it touches the database: the event, the run's size, the
 * scenarios, the thresholds, the history and what will be published. A bad input or setting fails
 * here, so a misconfigured workflow never needs a database to find out.
 */
import path from 'node:path';
import type { GateInputs } from '../config/action-inputs.js';
import { readRunSize } from '../config/run-size.js';
import { readEnvSettings, resolveSettings, type Settings } from '../config/settings.js';
import { chooseThresholds, type ThresholdsChoice } from '../config/thresholds-source.js';
import { isPullRequest, readEventContextFromRunner, type EventContext } from '../github/event-context.js';
import { connectGitHub, type GitHubTarget } from '../github/github-target.js';
import { GitHubBranchStore } from '../publish/baseline-branch-store.js';
import { readBaselineHistory } from '../publish/baseline-history.js';
import { decideBaselineUpdate, type BaselineDecision } from '../publish/baseline-policy.js';
import type { BaselineStore } from '../publish/baseline-store.js';
import { validateResults } from '../results/results-io.js';
import type { ResultsDocument } from '../results/types.js';
import { loadProject } from '../project/load-project.js';
import { OWN_SUBJECT } from '../run/own-subject.js';
import { projectSubject } from '../run/project-subject.js';
import type { SuiteSubject } from '../run/suite-subject.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { selectScenarios, type Selection } from '../suites/selection.js';
import type { ActionIo } from './action-io.js';
import { checkGateEvent } from './gate-event.js';

export interface GatePlan {
  context: EventContext;
  /** What is measured: the project's perf file, or perf-gate's own data layer. */
  subject: SuiteSubject;
  /** The run's settings: inputs and environment over thresholds.json's `configuration`. */
  settings: Settings;
  definitions: ScenarioDefinition[];
  /** What the inputs chose, for a duet's workers to select the same scenarios. */
  selection: Selection;
  /** Undefined without a token. */
  github: (GitHubTarget & { store: BaselineStore }) | undefined;
  thresholds: ThresholdsChoice;
  history: ResultsDocument[];
  baseline: BaselineDecision;
  /** The pull request of this run, if it is one. */
  prNumber: number | undefined;
}

/**
 * The subject of the run: the project's perf file (loaded with its own TypeScript and MikroORM),
 * or perf-gate's own data layer when the working directory has none.
 */
async function planSubject(inputs: GateInputs, io: ActionIo, env: NodeJS.ProcessEnv, bundleDir: string): Promise<SuiteSubject> {
  if (inputs.perfFile === undefined) return OWN_SUBJECT;
  const project = await loadProject({
    projectDir: inputs.workingDirectory,
    perfFile: inputs.perfFile,
    hooksFile: path.join(bundleDir, 'ts-hooks.js'),
    ...(env.MIKRO_ORM_CLI_CONFIG ? { configFromEnv: env.MIKRO_ORM_CLI_CONFIG } : {}),
  });
  if (!project) throw new Error(`the perf file ${inputs.perfFile} could not be found`);
  const subject = projectSubject(project);
  io.info(`measuring ${subject.description}; TypeScript: ${project.loader.description}`);
  return subject;
}

/**
 * thresholds.json of the run: the `thresholds` input; for a project in a folder of the repository
 * left at its default, the project folder's thresholds.json.
 */
function thresholdsPathOf(inputs: GateInputs): string {
  const folder = path.relative(inputs.workspace, inputs.workingDirectory).split(path.sep).join('/');
  return inputs.perfFile !== undefined && folder !== '' && inputs.thresholdsPath === 'thresholds.json' ? `${folder}/thresholds.json` : inputs.thresholdsPath;
}

/** Reads the event and settings, and through the API the thresholds and the history. */
export async function planGate(inputs: GateInputs, io: ActionIo, env: NodeJS.ProcessEnv, bundleDir: string): Promise<GatePlan> {
  const context = readEventContextFromRunner(env);
  checkGateEvent(context);
  const size = readRunSize(env);
  const fromEnv = readEnvSettings(env);
  const subject = await planSubject(inputs, io, env, bundleDir);
  // Named scenarios are checked to lie in the chosen categories; then they alone run.
  const selection: Selection = inputs.scenarios.length > 0 ? { scenarios: inputs.scenarios } : { categories: inputs.categories };
  const definitions = selectScenarios(subject.scenarios, selection);
  io.info(`event: ${context.eventName} on ${context.repository.owner}/${context.repository.repo} at ${context.sha.slice(0, 12)}`);
  io.info(`scenarios: ${definitions.length}; seeded users: ${size.users}; scale: ${size.scale}; seed: ${size.seed}`);
  const target = await connectGitHub(inputs.githubToken, context, env, io);
  const github = target && { ...target, store: createStore(target, inputs.baselineBranch) };
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const ids = subject === OWN_SUBJECT ? undefined : subject.scenarios.map((d) => d.id);
  const thresholds = await chooseThresholds({ octokit: github?.octokit, context, path: thresholdsPathOf(inputs), workspace, ...(ids ? { ids } : {}) });
  io.info(`thresholds: ${thresholds.source}`);
  for (const note of thresholds.notes) io.warning(note);
  const history = github
    ? await readBaselineHistory({ ...github, context, limit: inputs.history, log: io.info }, io.warning)
    : { runs: [], skipped: [] };
  const baseline = github
    ? decideBaselineUpdate(inputs.updateBaseline, context, github.defaultBranch)
    : { kind: 'skip' as const, reason: "no 'github-token'", warn: false };
  const prNumber = isPullRequest(context) ? context.prNumber : undefined;
  const settings = resolveSettings(fromEnv, thresholds.thresholds.configuration, {
    serverUrl: inputs.databaseUrl,
    size,
    confirmRerun: inputs.confirmRerun && thresholds.thresholds.confirmRerun,
    keepDatabase: false,
  });
  return { context, subject, settings, definitions, selection, github, thresholds, history: history.runs, baseline, prNumber };
}

function createStore(target: GitHubTarget, branch: string): BaselineStore {
  const { owner, repo } = target.repository;
  return new GitHubBranchStore({ octokit: target.octokit, owner, repo, branch, validate: validateResults });
}
