/**
 * The history the verdict compares against: runs of the base branch (the default branch outside
 * pull requests) from the baseline store. On a pull request, runs at the commits of the base branch
 * up to its base sha are preferred, so a PR opened before newer pushes is judged against the code
 * it branched from; when none of those is stored (or the commits cannot be listed), the newest runs.
 */
import { isPullRequest, type EventContext } from '../github/event-context.js';
import { readHttpStatus, type GitHubClient } from '../github/octokit.js';
import type { BaselineStore, History } from './baseline-store.js';

export interface HistoryRequest {
  store: BaselineStore;
  octokit: GitHubClient;
  context: EventContext;
  defaultBranch: string;
  limit: number;
  log: (line: string) => void;
}

/** Reads the history; every skipped (invalid) stored run is reported through `warn`. */
export async function readBaselineHistory(request: HistoryRequest, warn: (line: string) => void): Promise<History> {
  const { store, context, limit, log } = request;
  const branch = isPullRequest(context) ? context.baseRef : request.defaultBranch;
  let history: History | undefined;
  if (isPullRequest(context)) {
    const shas = await listBaseCommits(request.octokit, context.repository, context.baseSha, log);
    if (shas) history = await store.readHistory({ branch, limit, shas });
    if (history?.runs.length === 0) log(`no stored run at the base branch's last ${shas?.length} commits: using the newest runs`);
  }
  if (!history || history.runs.length === 0) history = await store.readHistory({ branch, limit });
  for (const skipped of history.skipped) warn(`skipped stored run ${skipped.location}: ${skipped.reason}`);
  log(`history: ${history.runs.length} run(s) of '${branch}' from ${store.description}`);
  return history;
}

/** The base branch's newest 100 commits up to `sha`, or undefined when they cannot be listed. */
async function listBaseCommits(
  octokit: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string,
  log: (line: string) => void,
): Promise<string[] | undefined> {
  try {
    const { data } = await octokit.rest.repos.listCommits({ ...repository, sha, per_page: 100 });
    return data.map((commit) => commit.sha);
  } catch (error) {
    const status = readHttpStatus(error);
    if (status === undefined || status >= 500) throw error;
    log(`could not list the commits up to the base sha ${sha.slice(0, 12)} (HTTP ${status}): using the newest runs`);
    return undefined;
  }
}
