/** Git data API routes (refs, blobs, trees, commits) of the fake GitHub server. */
import { directoriesOf, type FakeCommit, type TreeEdit, type TreeEntry } from './git-objects.js';
import { defineRoute, HttpError, readObjectBody, requireWriter, type Route } from './router.js';
import { findRepo, type FakeRepo, type FakeState } from './state.js';

const REPO = '/repos/{owner}/{repo}';

/** Splits base64 in 60-character lines, as GitHub returns blob and file content. */
export function toGitHubBase64(content: Buffer): string {
  return (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
}

function repoUrl(baseUrl: string, repo: FakeRepo): string {
  return `${baseUrl}/repos/${repo.owner}/${repo.name}`;
}

export function renderCommit(baseUrl: string, repo: FakeRepo, commit: FakeCommit): Record<string, unknown> {
  const url = repoUrl(baseUrl, repo);
  const person = { name: 'perf-gate', email: 'perf-gate@example.test', date: commit.date };
  return {
    sha: commit.sha,
    url: `${url}/git/commits/${commit.sha}`,
    html_url: `https://github.test/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    message: commit.message,
    tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({ sha, url: `${url}/git/commits/${sha}` })),
    author: person,
    committer: person,
  };
}

function renderRef(baseUrl: string, repo: FakeRepo, ref: string, sha: string): Record<string, unknown> {
  const url = repoUrl(baseUrl, repo);
  return { ref, url: `${url}/git/refs/${ref.slice(5)}`, object: { sha, type: 'commit', url: `${url}/git/commits/${sha}` } };
}

function renderTree(state: { baseUrl: string; repo: FakeRepo }, sha: string, recursive: boolean): Record<string, unknown> {
  const { repo, baseUrl } = state;
  const entries = repo.git.trees.get(sha) as Map<string, TreeEntry>;
  const url = repoUrl(baseUrl, repo);
  const blobs = [...entries.entries()].map(([path, entry]) => ({
    path,
    mode: entry.mode,
    type: 'blob',
    sha: entry.sha,
    size: repo.git.blobs.get(entry.sha)?.length ?? 0,
    url: `${url}/git/blobs/${entry.sha}`,
  }));
  const dirs = [...directoriesOf(entries.keys())].map((path) => {
    const dirSha = repo.git.storeDirectory(entries, path);
    return { path, mode: '040000', type: 'tree', sha: dirSha, url: `${url}/git/trees/${dirSha}` };
  });
  const all = [...blobs, ...dirs].sort((a, b) => (a.path < b.path ? -1 : 1));
  const tree = recursive ? all : all.filter((entry) => !entry.path.includes('/'));
  return { sha, url: `${url}/git/trees/${sha}`, tree, truncated: false };
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(422, `Invalid request. "${field}" wasn't supplied.`);
  }
  return value;
}

/** The git data routes over `state`. */
export function gitRoutes(state: FakeState): Route[] {
  return [
    defineRoute(`GET ${REPO}/git/ref/{ref+}`, ({ params, baseUrl }) => {
      const repo = findRepo(state, params);
      const ref = `refs/${params.ref}`;
      const sha = repo.git.refs.get(ref);
      if (sha === undefined) throw new HttpError(404, 'Not Found');
      return { status: 200, body: renderRef(baseUrl, repo, ref, sha) };
    }),
    defineRoute(`POST ${REPO}/git/refs`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const input = readObjectBody(body);
      const ref = requireString(input, 'ref');
      const sha = requireString(input, 'sha');
      repo.git.createRef(ref, sha);
      return { status: 201, body: renderRef(baseUrl, repo, ref, sha) };
    }),
    defineRoute(`PATCH ${REPO}/git/refs/{ref+}`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const input = readObjectBody(body);
      const ref = `refs/${params.ref}`;
      const sha = requireString(input, 'sha');
      repo.git.updateRef(ref, sha, input.force === true);
      return { status: 200, body: renderRef(baseUrl, repo, ref, sha) };
    }),
    defineRoute(`POST ${REPO}/git/blobs`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const input = readObjectBody(body);
      const encoding = input.encoding === 'base64' ? 'base64' : 'utf8';
      const content = typeof input.content === 'string' ? input.content : requireString(input, 'content');
      const sha = repo.git.storeBlob(Buffer.from(content, encoding));
      return { status: 201, body: { sha, url: `${repoUrl(baseUrl, repo)}/git/blobs/${sha}` } };
    }),
    defineRoute(`GET ${REPO}/git/blobs/{sha}`, ({ params, baseUrl }) => {
      const repo = findRepo(state, params);
      const content = repo.git.blobs.get(params.sha ?? '');
      if (!content) throw new HttpError(404, 'Not Found');
      const url = `${repoUrl(baseUrl, repo)}/git/blobs/${params.sha}`;
      return { status: 200, body: { sha: params.sha, size: content.length, url, content: toGitHubBase64(content), encoding: 'base64' } };
    }),
    defineRoute(`POST ${REPO}/git/trees`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const input = readObjectBody(body);
      if (!Array.isArray(input.tree)) throw new HttpError(422, 'Invalid request. "tree" wasn\'t supplied.');
      const baseTree = typeof input.base_tree === 'string' ? input.base_tree : undefined;
      const sha = repo.git.buildTree(baseTree, input.tree as TreeEdit[]);
      return { status: 201, body: renderTree({ baseUrl, repo }, sha, false) };
    }),
    defineRoute(`GET ${REPO}/git/trees/{sha}`, ({ params, query, baseUrl }) => {
      const repo = findRepo(state, params);
      const sha = repo.git.resolveTree(params.sha ?? '');
      if (sha === undefined) throw new HttpError(404, 'Not Found');
      const recursive = query.has('recursive') && !['0', 'false'].includes(query.get('recursive') ?? '');
      return { status: 200, body: renderTree({ baseUrl, repo }, sha, recursive) };
    }),
    defineRoute(`POST ${REPO}/git/commits`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const input = readObjectBody(body);
      const parents = Array.isArray(input.parents) ? input.parents.map(String) : [];
      const commit = repo.git.createCommit(requireString(input, 'tree'), parents, requireString(input, 'message'));
      return { status: 201, body: renderCommit(baseUrl, repo, commit) };
    }),
    defineRoute(`GET ${REPO}/git/commits/{sha}`, ({ params, baseUrl }) => {
      const repo = findRepo(state, params);
      const commit = repo.git.commits.get(params.sha ?? '');
      if (!commit) throw new HttpError(404, 'Not Found');
      return { status: 200, body: renderCommit(baseUrl, repo, commit) };
    }),
  ];
}
