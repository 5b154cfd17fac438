/**
 * The action's inputs, read once through a `getInput` function (core.getInput in the action, a map
 * in tests), validated, frozen. A bad value is an error that names the input, echoes the value
 * (with any password hidden) and says what was expected.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { CATEGORIES, type Category } from '../results/types.js';
import { ALL_SCENARIO_IDS, isScenarioId } from '../suites/catalog.js';
import { findPerfFile } from '../project/project-files.js';
import { describeDatabaseUrl } from './redact.js';

/** The `comment-key` of a gate job that sets none (also the marker of the CLI's `--markdown` file). */
export const DEFAULT_COMMENT_KEY = 'perf-gate';

export type CommentPolicy = 'always' | 'on-regression' | 'never';
export type FailOn = 'regression' | 'breach' | 'never';
/** `duet`: on a pull request, head against base in one run; `history`: against the baseline history only. */
export type CompareMode = 'duet' | 'history';
/** `duet-rounds`: the bounds and default of the CLI's --rounds (duet/coordinator.ts; config/ sits below duet/). */
export const DUET_ROUNDS_BOUNDS = { min: 1, max: 64, fallback: 32 } as const;
/** `auto`: store the run only on a push to the default branch; `true` / `false` force it on or off. */
export type UpdateBaseline = 'auto' | true | false;

interface CommonInputs {
  /** github-token: token for comments, the baseline branch and the base branch's thresholds. */
  readonly githubToken: string | undefined;
  /** thresholds: repository-relative path of thresholds.json (read from the base branch on a PR). */
  readonly thresholdsPath: string;
  /** comment: when to post or update the sticky PR comment. */
  readonly comment: CommentPolicy;
  /** comment-key: tells this gate's comment apart when several gate jobs comment on one PR. */
  readonly commentKey: string;
  /** GITHUB_WORKSPACE (the current directory outside a runner): the reports stay inside it. */
  readonly workspace: string;
  /** results-path: absolute path of the results document inside the workspace (comparison.json is written next to it). */
  readonly resultsPath: string;
  /** Absolute path of the comparison document, next to the results document. */
  readonly comparisonPath: string;
}

/** `mode: gate`: run the suites against the database and decide. */
export interface GateInputs extends CommonInputs {
  readonly mode: 'gate';
  /** database-url: postgres:// URL of the service container. A secret: mask it before logging. */
  readonly databaseUrl: string;
  /** categories: the categories to run (all when the input is empty). */
  readonly categories: readonly Category[];
  /** scenarios: scenario ids to run (all of the selected categories when empty). */
  readonly scenarios: readonly string[];
  /** baseline-branch: branch that stores the baseline runs. */
  readonly baselineBranch: string;
  /** history: how many of the newest baseline runs the verdict compares against. */
  readonly history: number;
  /** retention: how many runs per source branch the baseline branch keeps (>= history). */
  readonly retention: number;
  /** fail-on: what fails the step. */
  readonly failOn: FailOn;
  /** update-baseline: whether this run is stored as a baseline. */
  readonly updateBaseline: UpdateBaseline;
  /** confirm-rerun: re-run flagged scenarios once before failing on a relative regression. */
  readonly confirmRerun: boolean;
  /** compare: how a pull request is judged (a push is always one arm against the history). */
  readonly compare: CompareMode;
  /** duet-rounds: the duet's rounds per scenario (the plan may run fewer to fit its budget). */
  readonly duetRounds: number;
  /** working-directory: the project folder, absolute, inside the workspace (a package of a monorepo). */
  readonly workingDirectory: string;
  /**
   * The perf file, absolute: the `perf-file` input, else the one `*.perf.ts` of the project's
   * perf/ folder or root. Undefined: the project has none, and perf-gate's own suite runs.
   */
  readonly perfFile: string | undefined;
}

/** `mode: comment`: the workflow_run stage for fork PRs; posts the comment from uploaded files. */
export interface CommentInputs extends CommonInputs {
  readonly mode: 'comment';
  readonly githubToken: string;
}

export type ActionInputs = GateInputs | CommentInputs;

/** A bad action input: names it, echoes the value, says what was expected. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    readonly shownValue: string,
    readonly expected: string,
  ) {
    super(`'${input}' must be ${expected}, got '${shownValue}'`);
  }
}

type GetInput = (name: string) => string;

/**
 * Reads and validates every input. Call it once, from run(), after masking the database URL's
 * secret forms (see redact.ts). `env` supplies GITHUB_WORKSPACE for resolving results-path.
 */
export function readInputs(getInput: GetInput, env: NodeJS.ProcessEnv): ActionInputs {
  const read = (name: string): string => getInput(name).trim();
  const mode = readChoice(read, 'mode', ['gate', 'comment'] as const, 'gate');
  const common = readCommonInputs(read, env);
  if (mode === 'comment') {
    if (!common.githubToken) throw new InputError('github-token', '', "a token when 'mode' is 'comment'");
    return Object.freeze({ ...common, mode, githubToken: common.githubToken });
  }
  return Object.freeze({ ...common, mode, ...readGateInputs(read, common.workspace) });
}

function readCommonInputs(read: GetInput, env: NodeJS.ProcessEnv): CommonInputs {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const resultsPath = readResultsPath(read, workspace);
  return {
    workspace,
    githubToken: read('github-token') || undefined,
    thresholdsPath: readRepoPath(read, 'thresholds', 'thresholds.json'),
    comment: readChoice(read, 'comment', ['always', 'on-regression', 'never'] as const, 'always'),
    commentKey: readPattern(read, 'comment-key', /^[A-Za-z0-9._-]{1,64}$/, 'up to 64 letters, digits, . _ or -', DEFAULT_COMMENT_KEY),
    resultsPath,
    comparisonPath: path.join(path.dirname(resultsPath), 'comparison.json'),
  };
}

/** working-directory, absolute: a folder inside the workspace. */
function readWorkingDirectory(read: GetInput, workspace: string): string {
  const value = read('working-directory') || '.';
  const resolved = path.resolve(workspace, value);
  if (resolved !== workspace && !isInside(workspace, resolved)) {
    throw new InputError('working-directory', value, `a folder inside the workspace '${workspace}'`);
  }
  if (resolved !== workspace && !existsSync(resolved)) throw new InputError('working-directory', value, `an existing folder (${resolved} does not exist)`);
  return resolved;
}

/** The project's perf file (see GateInputs.perfFile); a named one that does not exist is an input error. */
function readPerfFile(read: GetInput, workingDirectory: string): string | undefined {
  const named = read('perf-file') || undefined;
  try {
    return findPerfFile(workingDirectory, named);
  } catch (error) {
    throw new InputError('perf-file', named ?? '', `one perf file of the project: ${(error as Error).message}`);
  }
}

function readGateInputs(read: GetInput, workspace: string): Omit<GateInputs, keyof CommonInputs | 'mode'> {
  const workingDirectory = readWorkingDirectory(read, workspace);
  const perfFile = readPerfFile(read, workingDirectory);
  const categories = readCategories(read);
  const history = readWholeNumber(read, 'history', 1, 100, 10);
  const retention = readWholeNumber(read, 'retention', 1, 1000, 100);
  if (retention < history) {
    throw new InputError('retention', String(retention), `at least 'history' (${history})`);
  }
  return {
    databaseUrl: readDatabaseUrl(read),
    categories,
    // A perf file's ids are known once it is loaded (the plan selects them and names an unknown one).
    scenarios: readScenarios(read, categories, perfFile === undefined),
    baselineBranch: readBranchName(read, 'baseline-branch', 'perf-baselines'),
    history,
    retention,
    failOn: readChoice(read, 'fail-on', ['regression', 'breach', 'never'] as const, 'regression'),
    updateBaseline: readUpdateBaseline(read),
    confirmRerun: readBoolean(read, 'confirm-rerun', true),
    compare: readChoice(read, 'compare', ['duet', 'history'] as const, 'duet'),
    duetRounds: readWholeNumber(read, 'duet-rounds', DUET_ROUNDS_BOUNDS.min, DUET_ROUNDS_BOUNDS.max, DUET_ROUNDS_BOUNDS.fallback),
    workingDirectory,
    perfFile,
  };
}

function readDatabaseUrl(read: GetInput): string {
  const value = read('database-url');
  const expected = 'a postgres:// or postgresql:// URL';
  if (!value) throw new InputError('database-url', '', expected);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('database-url', describeDatabaseUrl(value), expected);
  }
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    throw new InputError('database-url', describeDatabaseUrl(value), `${expected} with a host`);
  }
  return value;
}

function readChoice<T extends string>(read: GetInput, name: string, choices: readonly T[], fallback: T): T {
  const value = read(name);
  if (!value) return fallback;
  const found = choices.find((choice) => choice === value);
  if (found === undefined) throw new InputError(name, value, `one of ${choices.join(' | ')}`);
  return found;
}

function readWholeNumber(read: GetInput, name: string, min: number, max: number, fallback: number): number {
  const value = read(name);
  if (!value) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new InputError(name, value, `a whole number from ${min} to ${max}`);
  }
  return parsed;
}

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/** Accepts what core.getBooleanInput accepts (YAML 1.2 core schema), with a default. */
function readBoolean(read: GetInput, name: string, fallback: boolean): boolean {
  const value = read(name);
  if (!value) return fallback;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(name, value, 'true or false');
}

function readUpdateBaseline(read: GetInput): UpdateBaseline {
  const value = read('update-baseline');
  if (!value || value === 'auto') return 'auto';
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError('update-baseline', value, 'one of auto | true | false');
}

function readPattern(read: GetInput, name: string, pattern: RegExp, expected: string, fallback: string): string {
  const value = read(name);
  if (!value) return fallback;
  if (!pattern.test(value)) throw new InputError(name, value, expected);
  return value;
}

/** Splits a comma- or newline-separated list, dropping blanks and duplicates. */
export function splitList(value: string): string[] {
  const items = value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return [...new Set(items)];
}

function readCategories(read: GetInput): readonly Category[] {
  const items = splitList(read('categories'));
  if (items.length === 0) return CATEGORIES;
  return items.map((item) => {
    const found = CATEGORIES.find((category) => category === item);
    if (found === undefined) throw new InputError('categories', item, `one of ${CATEGORIES.join(', ')}`);
    return found;
  });
}

function readScenarios(read: GetInput, categories: readonly Category[], ownSuite: boolean): readonly string[] {
  const items = splitList(read('scenarios'));
  for (const id of items) {
    if (ownSuite && !isScenarioId(id)) {
      throw new InputError('scenarios', id, `a known scenario id (${describeKnownIds(id)})`);
    }
    const category = id.split('.')[0] as Category;
    if (!categories.includes(category)) {
      throw new InputError('scenarios', id, `in one of the selected categories (${categories.join(', ')})`);
    }
  }
  return items;
}

/** Names the ids that share the unknown id's prefix, so a typo is easy to fix. */
function describeKnownIds(id: string): string {
  const prefix = id.split('.')[0] ?? '';
  const near = ALL_SCENARIO_IDS.filter((known) => known.startsWith(`${prefix}.`));
  return near.length > 0 ? `e.g. ${near.slice(0, 5).join(', ')}` : `ids start with ${CATEGORIES.join('., ')}.`;
}

/** A repository-relative file path: not absolute, no `..`, so it reads the same from the API. */
function readRepoPath(read: GetInput, name: string, fallback: string): string {
  const value = read(name);
  if (!value) return fallback;
  const normalised = path.posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (path.posix.isAbsolute(normalised) || normalised.startsWith('..') || normalised.endsWith('/')) {
    throw new InputError(name, value, 'a file path relative to the repository root');
  }
  return normalised;
}

/**
 * results-path, absolute, inside the workspace: neither `..`, an absolute path elsewhere, nor a
 * symlink on the way may lead out of it, since the reports are written there (and, in comment
 * mode, read from there). The writers refuse symlinks altogether (report-files.ts).
 */
function readResultsPath(read: GetInput, workspace: string): string {
  const value = read('results-path') || 'perf-gate/results.json';
  const resolved = path.resolve(workspace, value);
  const expected = `a file path inside the workspace '${workspace}' (GITHUB_WORKSPACE)`;
  if (!isInside(workspace, resolved)) throw new InputError('results-path', value, expected);
  const escape = findEscapingSymlink(workspace, resolved);
  if (escape) throw new InputError('results-path', value, `${expected}; '${escape.link}' is a symlink to '${escape.target}'`);
  return resolved;
}

/** Whether `child` lies strictly below `parent` (both absolute and normalised). */
function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The first existing symlink between `workspace` and `file` that resolves outside the workspace. */
function findEscapingSymlink(workspace: string, file: string): { link: string; target: string } | undefined {
  const realWorkspace = resolveReal(workspace);
  const parts = path.relative(workspace, file).split(path.sep);
  for (let count = 1; count <= parts.length; count += 1) {
    const link = path.join(...parts.slice(0, count));
    const current = path.join(workspace, link);
    const stats = lstatSync(current, { throwIfNoEntry: false });
    if (!stats) return undefined;
    if (!stats.isSymbolicLink()) continue;
    const target = resolveReal(current);
    if (target !== realWorkspace && !isInside(realWorkspace, target)) return { link, target };
  }
  return undefined;
}

/** The real path of `file`; for a missing file (or a dangling link) the link text, resolved. */
function resolveReal(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    return stats?.isSymbolicLink() ? path.resolve(path.dirname(file), readlinkSync(file)) : file;
  }
}

/** Git's check-ref-format rules for a branch name. */
function readBranchName(read: GetInput, name: string, fallback: string): string {
  const value = read(name);
  if (!value) return fallback;
  if (!isValidBranchName(value)) {
    throw new InputError(name, value, 'a valid git branch name (e.g. perf-baselines)');
  }
  return value;
}

/** Whether `name` is a branch name git accepts (check-ref-format --branch), without `refs/`. */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('refs/')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}
