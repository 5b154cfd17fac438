import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readReportFiles, writeReportFiles } from '../../src/publish/report-files.js';
import type { RunContextDocument } from '../../src/publish/run-context-file.js';
import { makePassingComparison } from '../report/report-fixtures.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

let root: string;
let workspace: string;
let elsewhere: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'perf-gate-report-files-')));
  workspace = join(root, 'workspace');
  elsewhere = join(root, 'elsewhere');
  await mkdir(workspace);
  await mkdir(elsewhere);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const context: RunContextDocument = {
  schemaVersion: 1,
  repository: 'acme/shop',
  event: 'pull_request',
  prNumber: 7,
  headSha: 'a'.repeat(40),
  thresholdsChange: [],
  notes: ['a note'],
};

function files() {
  return { results: makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.3 })] }), comparison: makePassingComparison(), context };
}

/** The report paths of the action's inputs for a results file under `folder` of the workspace. */
function pathsIn(folder: string) {
  return { workspace, resultsPath: join(workspace, folder, 'results.json'), comparisonPath: join(workspace, folder, 'comparison.json') };
}

/** Rewrites `file` as the same JSON padded with spaces to `size` bytes. */
async function padTo(file: string, size: number): Promise<void> {
  const text = (await readFile(file, 'utf8')).trimEnd();
  await writeFile(file, `${text}${' '.repeat(size - Buffer.byteLength(text))}`);
}

describe('report files', () => {
  it('writes the three files, creating the folders, and reads them back', async () => {
    const paths = pathsIn('perf-gate/pr');
    await writeReportFiles(paths, files());
    expect((await readdir(join(workspace, 'perf-gate/pr'))).sort()).toEqual(['comparison.json', 'context.json', 'results.json']);
    const read = await readReportFiles(paths);
    expect(read.context).toEqual(context);
    expect(read.results).toEqual(files().results);
    expect(read.comparison.outcome.kind).toBe('pass');
    // The lines under the headline (a duet's fallback) travel too; an upload without them stays valid (above).
    const withNotes = { ...context, headlineNotes: ['Judged against the baseline history, not head against base: why.'] };
    await writeReportFiles(paths, { ...files(), context: withNotes });
    expect((await readReportFiles(paths)).context).toEqual(withNotes);
  });

  it.each(['results.json', 'comparison.json', 'context.json'])('refuses to write through %s when it is a symlink, and leaves its target alone', async (name) => {
    const victim = join(elsewhere, 'victim.txt');
    await writeFile(victim, 'keep');
    await mkdir(join(workspace, 'perf-gate'));
    await symlink(victim, join(workspace, 'perf-gate', name));
    await expect(writeReportFiles(pathsIn('perf-gate'), files())).rejects.toThrow(
      `${join(workspace, 'perf-gate', name)}: is a symlink; perf-gate never writes a report through a symlink`,
    );
    expect(await readFile(victim, 'utf8')).toBe('keep');
  });

  it('refuses a symlinked folder on the way to the reports and writes nothing through it', async () => {
    await mkdir(join(workspace, 'a'));
    await symlink(elsewhere, join(workspace, 'a', 'b'));
    await expect(writeReportFiles(pathsIn('a/b/c'), files())).rejects.toThrow(
      `${join(workspace, 'a', 'b')}: is a symlink; perf-gate never writes a report through a symlink`,
    );
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('refuses an oversized comparison.json (16 MiB) or context.json (1 MiB) before parsing it', async () => {
    const paths = pathsIn('perf-gate');
    await writeReportFiles(paths, files());
    const contextFile = join(workspace, 'perf-gate', 'context.json');
    await padTo(contextFile, 1024 * 1024 + 1);
    await expect(readReportFiles(paths)).rejects.toThrow(`${contextFile}: is 1048577 bytes, expected at most 1048576 (1 MiB)`);
    await writeReportFiles(paths, files());
    await padTo(paths.comparisonPath, 16 * 1024 * 1024 + 1);
    await expect(readReportFiles(paths)).rejects.toThrow(`${paths.comparisonPath}: is 16777217 bytes, expected at most 16777216 (16 MiB)`);
  });

  it('refuses an uploaded file that is a symlink, and a forbidden key in context.json', async () => {
    const paths = pathsIn('perf-gate');
    await writeReportFiles(paths, files());
    const contextFile = join(workspace, 'perf-gate', 'context.json');
    const planted = join(elsewhere, 'context.json');
    await writeFile(planted, JSON.stringify(context));
    await rm(contextFile);
    await symlink(planted, contextFile);
    await expect(readReportFiles(paths)).rejects.toThrow(`${contextFile}: is a symlink, expected a regular file (links are not followed here)`);
    await rm(contextFile);
    await writeFile(contextFile, `{"__proto__": {"isAdmin": true}, ${JSON.stringify(context).slice(1)}`);
    await expect(readReportFiles(paths)).rejects.toThrow(`${contextFile}: $.__proto__ is a forbidden key`);
  });

  it('refuses to read reports through a symlinked folder', async () => {
    await writeReportFiles({ workspace: elsewhere, resultsPath: join(elsewhere, 'r', 'results.json'), comparisonPath: join(elsewhere, 'r', 'comparison.json') }, files());
    await symlink(join(elsewhere, 'r'), join(workspace, 'perf-gate'));
    await expect(readReportFiles(pathsIn('perf-gate'))).rejects.toThrow(`${join(workspace, 'perf-gate')}: is a symlink; perf-gate never reads a report through a symlink`);
  });
});
