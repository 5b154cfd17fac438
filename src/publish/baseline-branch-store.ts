/**
 * A BaselineStore on a branch of the repository (default `perf-baselines`), written through the git
 * data API so that adding a run and pruning old ones is one commit.
 *
 * Layout: `runs/<url-encoded source branch>/<yyyymmddThhmmss.mmmZ>-<sha>.json`, one file per run,
 * so names sort by time and two writers never write the same file. Appending is a
 * read-modify-write of the branch head (tree -> commit -> fast-forward ref update); when another
 * writer moved the head first, GitHub answers 422 (or 409) and the whole cycle is redone on the
 * new head, a bounded number of times, so both runs are kept.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../common/error-message.js';
import { readHttpStatus, type GitHubClient } from '../github/octokit.js';
import type { ResultsDocument } from '../results/types.js';
import { checkDocumentSize, parseJsonText } from '../results/untrusted-json.js';
import type { BaselineStore, History, HistoryQuery, SkippedRun, StoredRunKey } from './baseline-store.js';

export interface BranchStoreOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The branch that holds the runs; created with one initial commit when missing. */
  branch?: string;
  /** Checks a stored document; throws (naming `source`) when it is not a valid results document. */
  validate: (doc: unknown, source: string) => ResultsDocument;
  /** Read-modify-write attempts before a conflict is given up. Default 5. */
  maxAttempts?: number;
  /** Base wait between attempts, grown linearly and jittered. Default 250 ms. */
  backoffMs?: number;
}

interface BranchHead {
  commitSha: string;
  treeSha: string;
}

interface RunFile {
  path: string;
  blobSha: string;
  sha: string;
  /** The blob's size from the tree listing, when GitHub gave one. */
  size: number | undefined;
}

const FILE_MODE = '100644' as const;
const RUN_FILE = /^(\d{8}T\d{6}\.\d{3}Z)-([0-9a-f]{7,64})\.json$/;
const README = [
  '# perf-gate baselines',
  '',
  'Written by the perf-gate action: one results document per run on the default branch, under',
  '`runs/<branch>/<time>-<commit>.json`. Old runs are pruned. Do not edit by hand.',
  '',
].join('\n');

/** The `runs/...` path a run is stored under. */
export function buildRunPath(key: StoredRunKey): string {
  const time = new Date(key.startedAt);
  if (Number.isNaN(time.getTime())) throw new Error(`'startedAt' must be an ISO time, got '${key.startedAt}'`);
  if (!/^[0-9a-f]{7,64}$/i.test(key.sha)) throw new Error(`'sha' must be a hex commit id, got '${key.sha}'`);
  const stamp = time.toISOString().replace(/[-:]/g, '');
  return `${runDirectory(key.branch)}/${stamp}-${key.sha.toLowerCase()}.json`;
}

function runDirectory(branch: string): string {
  return `runs/${encodeURIComponent(branch)}`;
}

/** Stores baseline runs on a branch through the GitHub API. */
export class GitHubBranchStore implements BaselineStore {
  readonly description: string;
  private readonly octokit: GitHubClient;
  private readonly repoRef: { owner: string; repo: string };
  private readonly branch: string;
  private readonly validate: BranchStoreOptions['validate'];
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(options: BranchStoreOptions) {
    this.octokit = options.octokit;
    this.repoRef = { owner: options.owner, repo: options.repo };
    this.branch = options.branch ?? 'perf-baselines';
    this.validate = options.validate;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 250;
    this.description = `branch '${this.branch}' of ${options.owner}/${options.repo}`;
  }

  /** The newest valid runs (of `shas` when given), newest first; invalid ones are reported as skipped. */
  async readHistory(query: HistoryQuery): Promise<History> {
    const head = await this.readHead();
    if (!head || query.limit <= 0) return { runs: [], skipped: [] };
    const wanted = query.shas ? new Set(query.shas.map((sha) => sha.toLowerCase())) : undefined;
    const { files, skipped } = await this.listRunFiles(head.treeSha, query.branch);
    const candidates = files.filter((file) => !wanted || wanted.has(file.sha));
    const runs: ResultsDocument[] = [];
    let next = 0;
    while (runs.length < query.limit && next < candidates.length) {
      const batch = candidates.slice(next, next + query.limit - runs.length);
      next += batch.length;
      const read = await Promise.all(batch.map((file) => this.readRun(file)));
      for (const result of read) {
        if ('doc' in result) runs.push(result.doc);
        else skipped.push(result);
      }
    }
    return { runs, skipped };
  }

  /** Appends one run and prunes the branch's runs past `retention`, in one commit. */
  async append(doc: ResultsDocument, key: StoredRunKey, retention: number): Promise<string> {
    if (!Number.isSafeInteger(retention) || retention < 1) {
      throw new Error(`'retention' must be a whole number of at least 1, got '${retention}'`);
    }
    const path = buildRunPath(key);
    this.validate(doc, `the run to store at ${path}`);
    const content = Buffer.from(`${JSON.stringify(doc)}\n`).toString('base64');
    const { data: blob } = await this.octokit.rest.git.createBlob({ ...this.repoRef, content, encoding: 'base64' });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.commitRun(path, blob.sha, key, retention);
        return this.locate(path);
      } catch (error) {
        const status = readHttpStatus(error);
        if ((status !== 409 && status !== 422) || attempt >= this.maxAttempts) throw error;
        await sleep(this.backoffMs * attempt * (0.5 + Math.random()));
      }
    }
  }

  /** One read-modify-write cycle on the current head; GitHub rejects it with 422 if the head moved. */
  private async commitRun(path: string, blobSha: string, key: StoredRunKey, retention: number): Promise<void> {
    const head = (await this.readHead()) ?? (await this.createBranch());
    const { files } = await this.listRunFiles(head.treeSha, key.branch);
    const same = files.find((file) => file.path === path);
    if (same) {
      if (same.blobSha === blobSha) return; // already stored by an earlier attempt whose reply was lost
      throw new Error(`${this.locate(path)} already holds a different run; runs are never overwritten`);
    }
    const pruned = files.slice(Math.max(retention - 1, 0)).map((file) => file.path);
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repoRef,
      base_tree: head.treeSha,
      tree: [
        { path, mode: FILE_MODE, type: 'blob', sha: blobSha },
        ...pruned.map((old) => ({ path: old, mode: FILE_MODE, type: 'blob' as const, sha: null })),
      ],
    });
    const message = `perf-gate: add ${key.branch} run ${key.sha.slice(0, 12)}${pruned.length ? `, prune ${pruned.length}` : ''}`;
    const { data: commit } = await this.octokit.rest.git.createCommit({
      ...this.repoRef,
      message,
      tree: tree.sha,
      parents: [head.commitSha],
    });
    await this.octokit.rest.git.updateRef({ ...this.repoRef, ref: `heads/${this.branch}`, sha: commit.sha, force: false });
  }

  /** Creates the branch with a README as its only, parentless commit; 422 if another writer won. */
  private async createBranch(): Promise<BranchHead> {
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repoRef,
      tree: [{ path: 'README.md', mode: FILE_MODE, type: 'blob', content: README }],
    });
    const { data: commit } = await this.octokit.rest.git.createCommit({
      ...this.repoRef,
      message: 'perf-gate: create the baseline branch',
      tree: tree.sha,
      parents: [],
    });
    await this.octokit.rest.git.createRef({ ...this.repoRef, ref: `refs/heads/${this.branch}`, sha: commit.sha });
    return { commitSha: commit.sha, treeSha: tree.sha };
  }

  private async readHead(): Promise<BranchHead | undefined> {
    let commitSha: string;
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repoRef, ref: `heads/${this.branch}` });
      commitSha = data.object.sha;
    } catch (error) {
      if (readHttpStatus(error) === 404) return undefined;
      throw error;
    }
    const { data: commit } = await this.octokit.rest.git.getCommit({ ...this.repoRef, commit_sha: commitSha });
    return { commitSha, treeSha: commit.tree.sha };
  }

  /** The source branch's run files, newest first; wrongly named files are reported as skipped. */
  private async listRunFiles(treeSha: string, branch: string): Promise<{ files: RunFile[]; skipped: SkippedRun[] }> {
    const { data } = await this.octokit.rest.git.getTree({ ...this.repoRef, tree_sha: treeSha, recursive: 'true' });
    if (data.truncated) throw new Error(`${this.description} has too many files to list; prune it by hand`);
    const prefix = `${runDirectory(branch)}/`;
    const files: RunFile[] = [];
    const skipped: SkippedRun[] = [];
    for (const entry of data.tree) {
      const name = entry.path.startsWith(prefix) ? entry.path.slice(prefix.length) : undefined;
      if (entry.type !== 'blob' || !entry.sha || name === undefined || name.includes('/')) continue;
      const match = RUN_FILE.exec(name);
      if (match?.[2]) files.push({ path: entry.path, blobSha: entry.sha, sha: match[2], size: entry.size });
      else skipped.push({ location: this.locate(entry.path), reason: `not a run file name (<time>-<sha>.json): '${name}'` });
    }
    files.sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
    return { files, skipped };
  }

  /**
   * One stored run, or why it cannot be used: above the results cap (judged from the tree listing's
   * size, before the blob is downloaded), a blob GitHub will not give (4xx), not JSON, a forbidden
   * key, or not a valid results document. Any of these skips the run; the rest of the history loads.
   */
  private async readRun(file: RunFile): Promise<{ doc: ResultsDocument } | SkippedRun> {
    const location = this.locate(file.path);
    const skip = (error: unknown): SkippedRun => ({ location, reason: describeError(error) });
    try {
      if (file.size !== undefined) checkDocumentSize(file.size, 'results', location);
    } catch (error) {
      return skip(error);
    }
    let blob: Awaited<ReturnType<GitHubClient['rest']['git']['getBlob']>>['data'];
    try {
      ({ data: blob } = await this.octokit.rest.git.getBlob({ ...this.repoRef, file_sha: file.blobSha }));
    } catch (error) {
      const status = readHttpStatus(error);
      // Server errors and lost connections are the API's trouble, not this file's: they fail the read.
      if (status === undefined || status >= 500) throw error;
      return { location, reason: `${location}: could not be read (HTTP ${status})` };
    }
    try {
      checkDocumentSize(blob.size ?? 0, 'results', location);
      const content = Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8');
      checkDocumentSize(content.length, 'results', location);
      return { doc: this.validate(parseJsonText(content.toString('utf8'), location, 'results'), location) };
    } catch (error) {
      return skip(error);
    }
  }

  private locate(path: string): string {
    return `${this.repoRef.owner}/${this.repoRef.repo}@${this.branch}:${path}`;
  }
}
