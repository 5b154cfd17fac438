import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../common/error-message.js';
import { readResults, validateResults } from '../results/results-io.js';
import type { ResultsDocument } from '../results/types.js';
import type { BaselineStore, History, HistoryQuery, SkippedRun, StoredRunKey } from './baseline-store.js';

/** A stored run's file name, parsed back into its key. */
interface StoredFile {
  name: string;
  branch: string;
  time: string;
  sha: string;
}

const SUFFIX = '.json';

/** A time that sorts as text and is safe in a file name: `20260101T000000000Z`. */
function toFileTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`startedAt must be an ISO date, got '${iso}'`);
  return date.toISOString().replace(/[-:.]/g, '');
}

/** `<branch, URI-encoded>~<time>~<sha>[~n].json`; `~` never appears in an encoded branch or a sha. */
function toFileName(key: StoredRunKey, attempt: number): string {
  const sha = key.sha.replace(/[^0-9A-Za-z]/g, '') || 'unknown';
  const extra = attempt === 0 ? '' : `~${attempt}`;
  const branch = encodeURIComponent(key.branch).replace(/~/g, '%7E');
  return `${branch}~${toFileTime(key.startedAt)}~${sha}${extra}${SUFFIX}`;
}

function parseFileName(name: string): StoredFile | null {
  if (!name.endsWith(SUFFIX)) return null;
  const [branch, time, sha] = name.slice(0, -SUFFIX.length).split('~');
  if (!branch || !time || !sha) return null;
  try {
    return { name, branch: decodeURIComponent(branch), time, sha };
  } catch {
    return null;
  }
}

/**
 * The baseline store of the CLI and the tests: one JSON file per run in a directory, named by branch,
 * time and sha. Files are created exclusively (`wx`), so two writers never overwrite each other, and a
 * file that fails its schema is reported in `skipped` and never overwritten or deleted.
 */
export class LocalDirectoryStore implements BaselineStore {
  readonly description: string;

  constructor(private readonly directory: string) {
    this.description = `local directory ${directory}`;
  }

  /** The branch's stored files, newest first. */
  private async listBranch(branch: string): Promise<StoredFile[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map(parseFileName)
      .filter((file): file is StoredFile => file !== null && file.branch === branch)
      .sort((a, b) => (a.time === b.time ? b.name.localeCompare(a.name) : b.time.localeCompare(a.time)));
  }

  /**
   * Reads one stored file: the document, or why it cannot be used (above the results cap, not JSON,
   * a forbidden key, not a valid results document).
   */
  private async readStored(file: StoredFile): Promise<ResultsDocument | SkippedRun> {
    const location = join(this.directory, file.name);
    try {
      return await readResults(location);
    } catch (error) {
      return { location, reason: describeError(error) };
    }
  }

  /** Reads valid documents from `files` in order until `limit`, collecting the unusable ones. */
  private async readUpTo(files: readonly StoredFile[], limit: number): Promise<History> {
    const history: History = { runs: [], skipped: [] };
    for (const file of files) {
      if (history.runs.length >= limit) break;
      const stored = await this.readStored(file);
      if ('reason' in stored) history.skipped.push(stored);
      else history.runs.push(stored);
    }
    return history;
  }

  /**
   * The newest `limit` runs of the branch; with `shas`, only runs of those commits (the base branch up to
   * the merge base), falling back to the newest runs when none of them was stored.
   */
  async readHistory(query: HistoryQuery): Promise<History> {
    const files = await this.listBranch(query.branch);
    if (query.shas !== undefined) {
      const wanted = new Set(query.shas);
      const matching = files.filter((file) => wanted.has(file.sha));
      if (matching.length > 0) return this.readUpTo(matching, query.limit);
    }
    return this.readUpTo(files, query.limit);
  }

  /** Writes the run to a new file (never over an existing one), then prunes past `retention`. */
  async append(doc: ResultsDocument, key: StoredRunKey, retention: number): Promise<string> {
    validateResults(doc, `run ${key.sha} of ${key.branch}`);
    if (!Number.isInteger(retention) || retention < 1) {
      throw new Error(`retention must be a whole number of at least 1, got '${retention}'`);
    }
    await mkdir(this.directory, { recursive: true });
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const location = join(this.directory, toFileName(key, attempt));
      try {
        await writeFile(location, text, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      await this.prune(key.branch, retention);
      return location;
    }
    throw new Error(`${this.directory}: 100 runs already stored for ${key.branch} at ${key.startedAt} ${key.sha}`);
  }

  /** Deletes the branch's valid runs past `retention`; invalid files are left for a person to look at. */
  private async prune(branch: string, retention: number): Promise<void> {
    const files = await this.listBranch(branch);
    let kept = 0;
    for (const file of files) {
      const stored = await this.readStored(file);
      if ('reason' in stored) continue;
      kept += 1;
      if (kept > retention) await rm(join(this.directory, file.name), { force: true });
    }
  }
}
