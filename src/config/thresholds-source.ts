/**
 * Which thresholds judge the run. On a pull request they come from the base branch through the API,
 * never from the PR's checkout (a PR must not loosen its own gate); when the PR's file differs, the
 * difference is shown in the comment. Elsewhere, and when the base branch has none, the
 * workspace's file is used, and the built-in defaults when there is no file at all.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import builtInThresholds from '../../thresholds.json' with { type: 'json' };
import type { Thresholds } from '../verdict/thresholds.js';
import { parseThresholds } from './thresholds.js';
import { readFileFromRef } from '../github/repo-files.js';
import { isPullRequest, type EventContext } from '../github/event-context.js';
import type { GitHubClient } from '../github/octokit.js';
import { parseJsonText } from '../results/untrusted-json.js';
import { diffThresholdsText } from './thresholds-diff.js';

export interface ThresholdsChoice {
  thresholds: Thresholds;
  /** Where they came from, for the log. */
  source: string;
  /** What the pull request changes in the file, one line per change (empty when nothing). */
  change: string[];
  /** Facts the reader should know, for the log and the comment. */
  notes: string[];
}

export interface ThresholdsRequest {
  /** Undefined without a token: only the workspace can be read. */
  octokit: GitHubClient | undefined;
  context: EventContext;
  /** Repository-relative path (the `thresholds` input). */
  path: string;
  /** GITHUB_WORKSPACE: the checkout. */
  workspace: string;
  /** A perf file's scenario ids (undefined: perf-gate's own suite, whose built-in thresholds apply without a file). */
  ids?: readonly string[];
}

/** Picks the thresholds for this run; see the file's comment for the rules. */
export async function chooseThresholds(request: ThresholdsRequest): Promise<ThresholdsChoice> {
  const { context, octokit } = request;
  const local = await readWorkspaceFile(path.join(request.workspace, request.path));
  if (!isPullRequest(context)) return fromWorkspace(request, local, []);
  if (!octokit) return fromWorkspace(request, local, [`no 'github-token': ${request.path} is read from the pull request's checkout`]);
  const { owner, repo } = context.repository;
  const baseText = await readFileFromRef(octokit, { owner, repo, ref: context.baseSha, path: request.path });
  if (baseText === undefined) {
    return fromWorkspace(request, local, [`the base branch '${context.baseRef}' has no ${request.path}: the pull request's own is used`]);
  }
  const source = `${request.path} of the base branch '${context.baseRef}' (${context.baseSha.slice(0, 12)})`;
  return {
    thresholds: parseThresholds(parseJsonText(baseText, source, 'thresholds'), source, request.ids),
    source,
    change: diffThresholdsText(baseText, local, request.path),
    notes: [],
  };
}

function fromWorkspace(request: ThresholdsRequest, text: string | undefined, notes: string[]): ThresholdsChoice {
  if (text === undefined) {
    // A perf file's scenarios keep their own criteria; perf-gate's own have the shipped targets.
    const source = request.ids ? 'the default thresholds (no thresholds.json)' : 'the built-in thresholds';
    const note = `${request.path} is not in the workspace (${request.workspace}): ${source} are used`;
    const thresholds = request.ids ? parseThresholds({}, source, request.ids) : parseThresholds(builtInThresholds, source);
    return { thresholds, source, change: [], notes: [...notes, note] };
  }
  const source = path.join(request.workspace, request.path);
  return { thresholds: parseThresholds(parseJsonText(text, source, 'thresholds'), source, request.ids), source, change: [], notes };
}

async function readWorkspaceFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
