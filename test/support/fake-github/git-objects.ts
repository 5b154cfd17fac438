/**
 * A repository's git objects for the fake GitHub server: blobs, trees, commits and refs, with
 * content-addressed sha1 ids and the checks GitHub makes (missing objects, existing refs, fast-forward
 * updates). Trees are kept flat (full path -> blob); directory entries are derived when listed.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './router.js';

export interface TreeEntry {
  mode: string;
  sha: string;
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

/** A tree edit as the API takes it: `sha: null` deletes, `content` creates a blob. */
export interface TreeEdit {
  path: string;
  mode: string;
  type: string;
  sha?: string | null;
  content?: string;
}

function hashObject(kind: string, content: Buffer | string): string {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return createHash('sha1').update(`${kind} ${data.length}\0`).update(data).digest('hex');
}

export class GitObjects {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeEntry>>();
  readonly commits = new Map<string, FakeCommit>();
  /** Full ref name (`refs/heads/main`) -> commit sha. */
  readonly refs = new Map<string, string>();
  private clock = Date.parse('2024-01-01T00:00:00Z');

  constructor() {
    this.storeTree(new Map());
  }

  /** Stores a blob and returns its sha. */
  storeBlob(content: Buffer): string {
    const sha = hashObject('blob', content);
    this.blobs.set(sha, content);
    return sha;
  }

  /** Stores a flat tree and a tree object for each of its directories; returns the root's sha. */
  storeTree(entries: Map<string, TreeEntry>): string {
    const sha = this.storeFlat(entries);
    for (const dir of directoriesOf(entries.keys())) this.storeDirectory(entries, dir);
    return sha;
  }

  /** Stores the part of `entries` under `dir` as its own tree and returns its sha. */
  storeDirectory(entries: Map<string, TreeEntry>, dir: string): string {
    const inner = new Map<string, TreeEntry>();
    for (const [path, entry] of entries) if (path.startsWith(`${dir}/`)) inner.set(path.slice(dir.length + 1), entry);
    return this.storeFlat(inner);
  }

  private storeFlat(entries: Map<string, TreeEntry>): string {
    const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = hashObject('tree', sorted.map(([path, entry]) => `${entry.mode} ${path} ${entry.sha}`).join('\n'));
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  /** Applies edits on top of `baseTree` (or an empty tree) like `POST /git/trees`. */
  buildTree(baseTree: string | undefined, edits: readonly TreeEdit[]): string {
    const base = baseTree === undefined ? new Map<string, TreeEntry>() : this.trees.get(baseTree);
    if (!base) throw new HttpError(422, 'Invalid tree info: base_tree is not a tree');
    const entries = new Map(base);
    for (const edit of edits) this.applyEdit(entries, edit);
    return this.storeTree(entries);
  }

  private applyEdit(entries: Map<string, TreeEntry>, edit: TreeEdit): void {
    if (!edit.path || edit.path.startsWith('/') || edit.path.endsWith('/')) {
      throw new HttpError(422, `tree.path '${edit.path}' is not a valid path`);
    }
    if (edit.type !== 'blob') throw new HttpError(422, `tree.type '${edit.type}' is not supported by the fake`);
    if (edit.content !== undefined) {
      entries.set(edit.path, { mode: edit.mode, sha: this.storeBlob(Buffer.from(edit.content)) });
    } else if (edit.sha === null) {
      if (!entries.delete(edit.path)) throw new HttpError(422, `GitRPC::BadObjectState: '${edit.path}' is not in base_tree`);
    } else if (edit.sha && this.blobs.has(edit.sha)) {
      entries.set(edit.path, { mode: edit.mode, sha: edit.sha });
    } else {
      throw new HttpError(422, `tree.sha ${String(edit.sha)} is not a valid blob`);
    }
  }

  /** Creates a commit like `POST /git/commits`; 422 when the tree or a parent does not exist. */
  createCommit(tree: string, parents: readonly string[], message: string): FakeCommit {
    if (!this.trees.has(tree)) throw new HttpError(422, `Tree SHA does not exist: ${tree}`);
    for (const parent of parents) {
      if (!this.commits.has(parent)) throw new HttpError(422, `Parent SHA does not exist or is not a commit object: ${parent}`);
    }
    this.clock += 1000;
    const date = new Date(this.clock).toISOString();
    const sha = hashObject('commit', `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}${date}\n\n${message}`);
    const commit = { sha, tree, parents: [...parents], message, date };
    this.commits.set(sha, commit);
    return commit;
  }

  /** Creates a ref like `POST /git/refs`; 422 when it exists or the commit does not. */
  createRef(ref: string, sha: string): void {
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (this.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
    if (!this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    this.refs.set(ref, sha);
  }

  /** Moves a ref like `PATCH /git/refs`; 422 unless it fast-forwards (or `force`). */
  updateRef(ref: string, sha: string, force: boolean): void {
    const current = this.refs.get(ref);
    if (current === undefined) throw new HttpError(422, 'Reference does not exist');
    if (!this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (!force && !this.isAncestor(current, sha)) throw new HttpError(422, 'Update is not a fast forward');
    this.refs.set(ref, sha);
  }

  /** Whether `ancestor` is `descendant` or reachable from it through parents. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const queue = [descendant];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** Resolves a tree-ish the way the trees endpoint does: tree sha, commit sha or branch name. */
  resolveTree(treeish: string): string | undefined {
    if (this.trees.has(treeish)) return treeish;
    const commit = this.commits.get(treeish) ?? this.commits.get(this.refs.get(`refs/heads/${treeish}`) ?? '');
    return commit?.tree;
  }

  /** The flat tree of a branch's head (or of a commit sha), for reading files. */
  readTreeAt(refOrSha: string): Map<string, TreeEntry> | undefined {
    const tree = this.resolveTree(refOrSha);
    return tree === undefined ? undefined : this.trees.get(tree);
  }

  /** Commits `files` (`null` deletes) on top of `branch`, creating it when missing. For seeding tests. */
  commitFiles(branch: string, files: Readonly<Record<string, string | null>>, message = 'seed'): FakeCommit {
    const ref = `refs/heads/${branch}`;
    const parent = this.refs.get(ref);
    const baseTree = parent === undefined ? undefined : this.commits.get(parent)?.tree;
    const edits = Object.entries(files).map(([path, content]) =>
      content === null ? { path, mode: '100644', type: 'blob', sha: null } : { path, mode: '100644', type: 'blob', content },
    );
    const commit = this.createCommit(this.buildTree(baseTree, edits), parent === undefined ? [] : [parent], message);
    this.refs.set(ref, commit.sha);
    return commit;
  }
}

/** Every directory that holds a path of `paths`, e.g. `a`, `a/b` for `a/b/c.json`. */
export function directoriesOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}
