import { readHttpStatus, type GitHubClient } from './octokit.js';

/** Reads a text file at `ref` (e.g. the base branch's thresholds.json); undefined when there is none. */
export async function readFileFromRef(
  octokit: GitHubClient,
  request: { owner: string; repo: string; ref: string; path: string },
): Promise<string | undefined> {
  let data: Awaited<ReturnType<GitHubClient['rest']['repos']['getContent']>>['data'];
  try {
    ({ data } = await octokit.rest.repos.getContent(request));
  } catch (error) {
    if (readHttpStatus(error) === 404) return undefined;
    throw error;
  }
  const where = `'${request.path}' at '${request.ref}' of ${request.owner}/${request.repo}`;
  if (Array.isArray(data) || data.type !== 'file') throw new Error(`${where} must be a file, got a ${Array.isArray(data) ? 'directory' : data.type}`);
  if (data.encoding !== 'base64') throw new Error(`${where} must be at most 1 MB, got ${data.size} bytes`);
  return Buffer.from(data.content, 'base64').toString('utf8');
}
