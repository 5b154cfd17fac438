/** The fake GitHub server's state: repositories with their git objects and issue comments. */
import { GitObjects } from './git-objects.js';
import { HttpError, type FakeIdentity } from './router.js';

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  createdAt: string;
  updatedAt: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  git: GitObjects;
  /** Every comment of every issue / PR, in creation order (ids ascending). */
  comments: FakeComment[];
}

export interface FakeState {
  /** Token -> who it is. */
  identities: Map<string, FakeIdentity>;
  /** `owner/name` -> repository. */
  repos: Map<string, FakeRepo>;
  nextCommentId: number;
}

/** The repository named by the route's owner and repo, or GitHub's 404. */
export function findRepo(state: FakeState, params: Record<string, string>): FakeRepo {
  const repo = state.repos.get(`${params.owner}/${params.repo}`);
  if (!repo) throw new HttpError(404, 'Not Found');
  return repo;
}

/** Adds a repository whose default branch has one commit holding `files`. */
export function addRepo(
  state: FakeState,
  fullName: string,
  options: { defaultBranch?: string; files?: Record<string, string> } = {},
): FakeRepo {
  const [owner, name] = fullName.split('/');
  if (!owner || !name) throw new Error(`repository must be 'owner/name', got '${fullName}'`);
  const repo: FakeRepo = { owner, name, defaultBranch: options.defaultBranch ?? 'main', git: new GitObjects(), comments: [] };
  repo.git.commitFiles(repo.defaultBranch, { 'README.md': `# ${name}\n`, ...options.files }, 'Initial commit');
  state.repos.set(fullName, repo);
  return repo;
}

/** Adds a comment as `identity` (for seeding tests with other people's comments). */
export function addComment(state: FakeState, repo: FakeRepo, issueNumber: number, identity: FakeIdentity, body: string): FakeComment {
  const now = new Date().toISOString();
  const comment: FakeComment = {
    id: state.nextCommentId++,
    owner: repo.owner,
    repo: repo.name,
    issueNumber,
    body,
    user: { login: identity.login, id: identity.id, type: identity.type },
    createdAt: now,
    updatedAt: now,
  };
  repo.comments.push(comment);
  return comment;
}
