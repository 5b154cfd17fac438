/** Event payloads shaped like GitHub's, with only the fields the action reads. */

const REPOSITORY = { full_name: 'acme/shop', default_branch: 'main' };

export function pullRequestEvent(options: { number: number; headSha: string; baseSha: string; fork?: boolean }): { name: string; payload: unknown } {
  const headRepo = options.fork ? 'contributor/shop' : 'acme/shop';
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: options.number,
      repository: REPOSITORY,
      pull_request: {
        number: options.number,
        head: { sha: options.headSha, ref: 'feature', repo: { full_name: headRepo } },
        base: { sha: options.baseSha, ref: 'main', repo: { full_name: 'acme/shop' } },
      },
    },
  };
}

export function pushEvent(sha: string, branch = 'main'): { name: string; payload: unknown } {
  return { name: 'push', payload: { ref: `refs/heads/${branch}`, after: sha, repository: REPOSITORY } };
}

export function workflowRunEvent(options: { headSha: string; prNumbers?: number[] }): { name: string; payload: unknown } {
  return {
    name: 'workflow_run',
    payload: {
      action: 'completed',
      repository: REPOSITORY,
      workflow_run: {
        event: 'pull_request',
        conclusion: 'success',
        head_sha: options.headSha,
        head_branch: 'feature',
        head_repository: { full_name: 'contributor/shop' },
        pull_requests: (options.prNumbers ?? []).map((number) => ({ number })),
      },
    },
  };
}
