import type { EventContext, RepoRef } from './event-context.js';
import { createGitHubClient, type GitHubClient } from './octokit.js';

/** The repository the action works on, through the API. */
export interface GitHubTarget {
  octokit: GitHubClient;
  repository: RepoRef;
  defaultBranch: string;
}

/**
 * The client for `token`, and the repository's default branch (from the event payload, or one
 * `GET /repos/{owner}/{repo}` when the payload lacks it). Undefined without a token: the run then
 * reads the thresholds from the workspace, has no history, and neither comments nor stores.
 */
export async function connectGitHub(token: string | undefined, context: EventContext, env: NodeJS.ProcessEnv, io: { warning(line: string): void }): Promise<GitHubTarget | undefined> {
  if (!token) {
    io.warning("no 'github-token': no history, no comment and no baseline for this run");
    return undefined;
  }
  const octokit = createGitHubClient({ token, env, onWarning: (message) => io.warning(message) });
  const defaultBranch = context.defaultBranch ?? (await octokit.rest.repos.get({ ...context.repository })).data.default_branch;
  return { octokit, repository: context.repository, defaultBranch };
}
