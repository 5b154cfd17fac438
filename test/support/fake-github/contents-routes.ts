/** Repository and contents API routes of the fake GitHub server. */
import { renderCommit, toGitHubBase64 } from './git-routes.js';
import { defineRoute, HttpError, readObjectBody, requireWriter, type Route } from './router.js';
import { findRepo, type FakeRepo, type FakeState } from './state.js';

const REPO = '/repos/{owner}/{repo}';

function renderFile(baseUrl: string, repo: FakeRepo, path: string, sha: string): Record<string, unknown> {
  const content = repo.git.blobs.get(sha) ?? Buffer.alloc(0);
  return {
    type: 'file',
    name: path.split('/').pop(),
    path,
    sha,
    size: content.length,
    url: `${baseUrl}/repos/${repo.owner}/${repo.name}/contents/${path}`,
    git_url: `${baseUrl}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
    html_url: `https://github.test/${repo.owner}/${repo.name}/blob/${path}`,
    download_url: null,
    content: toGitHubBase64(content),
    encoding: 'base64',
  };
}

function readContents(repo: FakeRepo, baseUrl: string, path: string, ref: string): unknown {
  const entries = repo.git.readTreeAt(ref);
  if (!entries) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const file = entries.get(path);
  if (file) return renderFile(baseUrl, repo, path, file.sha);
  const children = [...entries.entries()].filter(([name]) => name.startsWith(`${path}/`));
  if (children.length === 0) throw new HttpError(404, 'Not Found');
  const names = new Map<string, { type: string; sha: string }>();
  for (const [name, entry] of children) {
    const rest = name.slice(path.length + 1);
    const child = rest.split('/')[0] as string;
    names.set(child, rest.includes('/') ? { type: 'dir', sha: repo.git.storeDirectory(entries, `${path}/${child}`) } : { type: 'file', sha: entry.sha });
  }
  return [...names.entries()].map(([name, entry]) => ({ name, path: `${path}/${name}`, ...entry }));
}

/** `PUT /contents`: a commit on the branch; 409 when `sha` is not the file's current blob. */
function writeContents(repo: FakeRepo, path: string, body: Record<string, unknown>): { created: boolean; commitSha: string; blobSha: string } {
  const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch;
  const head = repo.git.refs.get(`refs/heads/${branch}`);
  if (head === undefined) throw new HttpError(404, `Branch ${branch} not found`);
  const current = repo.git.readTreeAt(head)?.get(path);
  if (current && body.sha === undefined) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (current && body.sha !== current.sha) throw new HttpError(409, `${path} does not match ${String(body.sha)}`);
  if (!current && body.sha !== undefined) throw new HttpError(409, `${path} does not match ${String(body.sha)}`);
  if (typeof body.content !== 'string' || typeof body.message !== 'string') {
    throw new HttpError(422, 'Invalid request. "content" and "message" are required.');
  }
  const blobSha = repo.git.storeBlob(Buffer.from(body.content, 'base64'));
  const base = repo.git.commits.get(head)?.tree;
  const tree = repo.git.buildTree(base, [{ path, mode: '100644', type: 'blob', sha: blobSha }]);
  const commit = repo.git.createCommit(tree, [head], body.message);
  repo.git.updateRef(`refs/heads/${branch}`, commit.sha, false);
  return { created: !current, commitSha: commit.sha, blobSha };
}

/** The repository and contents routes over `state`. */
export function contentsRoutes(state: FakeState): Route[] {
  return [
    defineRoute(`GET ${REPO}`, ({ params, baseUrl }) => {
      const repo = findRepo(state, params);
      const fullName = `${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: { name: repo.name, full_name: fullName, owner: { login: repo.owner }, default_branch: repo.defaultBranch, private: false, url: `${baseUrl}/repos/${fullName}` },
      };
    }),
    defineRoute(`GET ${REPO}/contents/{path+}`, ({ params, query, baseUrl }) => {
      const repo = findRepo(state, params);
      return { status: 200, body: readContents(repo, baseUrl, params.path ?? '', query.get('ref') ?? repo.defaultBranch) };
    }),
    defineRoute(`PUT ${REPO}/contents/{path+}`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const path = params.path ?? '';
      const written = writeContents(repo, path, readObjectBody(body));
      const commit = repo.git.commits.get(written.commitSha);
      return {
        status: written.created ? 201 : 200,
        body: { content: renderFile(baseUrl, repo, path, written.blobSha), commit: commit && renderCommit(baseUrl, repo, commit) },
      };
    }),
  ];
}
