import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileFromRef } from '../../src/github/repo-files.js';
import { buildRunPath, GitHubBranchStore } from '../../src/publish/baseline-branch-store.js';
import type { StoredRunKey } from '../../src/publish/baseline-store.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { createFakeClient } from '../support/fake-github-client.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

const UPDATE_REF = 'PATCH /repos/{owner}/{repo}/git/refs/{ref+}';
const GET_TREE = 'GET /repos/{owner}/{repo}/git/trees/{sha}';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub({ repos: { 'acme/shop': { files: { 'thresholds.json': '{"v":1}\n' } } } });
});

afterEach(async () => {
  await fake.close();
});

/** A stand-in for the results schema check (another module owns the real one). */
function validate(doc: unknown, source: string): ResultsDocument {
  const run = (doc as { run?: { startedAt?: unknown } } | null)?.run;
  if ((doc as { schemaVersion?: unknown })?.schemaVersion !== 1 || typeof run?.startedAt !== 'string') {
    throw new Error(`${source}: not a results document`);
  }
  return doc as ResultsDocument;
}

function runAt(minute: number, sha = minute.toString(16).padStart(40, '0')): { doc: ResultsDocument; key: StoredRunKey } {
  const startedAt = new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();
  const doc = { schemaVersion: 1, run: { startedAt, gitSha: sha }, scenarios: [] } as unknown as ResultsDocument;
  return { doc, key: { branch: 'main', sha, startedAt } };
}

function createStore(token: string = FAKE_TOKENS.actions, backoffMs = 5): GitHubBranchStore {
  return new GitHubBranchStore({ octokit: createFakeClient(fake, token), owner: 'acme', repo: 'shop', validate, backoffMs });
}

function storedPaths(): string[] {
  const entries = fake.repo().git.readTreeAt('perf-baselines');
  return [...(entries?.keys() ?? [])].sort();
}

describe('GitHubBranchStore', () => {
  it('reads an empty history while the branch does not exist', async () => {
    expect(await createStore().readHistory({ branch: 'main', limit: 10 })).toEqual({ runs: [], skipped: [] });
  });

  it('creates the branch with one initial commit, then appends one file per run', async () => {
    const store = createStore();
    const first = runAt(1);
    const location = await store.append(first.doc, first.key, 10);
    expect(location).toBe(`acme/shop@perf-baselines:${buildRunPath(first.key)}`);
    expect(buildRunPath(first.key)).toBe(`runs/main/20240501T100100.000Z-${first.key.sha}.json`);
    expect(storedPaths()).toEqual(['README.md', buildRunPath(first.key)]);
    const git = fake.repo().git;
    const head = git.commits.get(git.refs.get('refs/heads/perf-baselines') ?? '');
    const root = git.commits.get(head?.parents[0] ?? '');
    expect(root?.parents).toEqual([]);
    expect(root?.message).toBe('perf-gate: create the baseline branch');

    await store.append(runAt(2).doc, runAt(2).key, 10);
    expect(storedPaths()).toHaveLength(3);
    expect(git.refs.get('refs/heads/main')).toBeDefined();
  });

  it('reads history newest first, limited, and by sha', async () => {
    const store = createStore();
    for (const minute of [3, 1, 2]) await store.append(runAt(minute).doc, runAt(minute).key, 10);
    const newest = await store.readHistory({ branch: 'main', limit: 2 });
    expect(newest.runs.map((doc) => doc.run.startedAt)).toEqual([runAt(3).key.startedAt, runAt(2).key.startedAt]);
    expect(newest.skipped).toEqual([]);
    const bySha = await store.readHistory({ branch: 'main', limit: 10, shas: [runAt(1).key.sha] });
    expect(bySha.runs.map((doc) => doc.run.startedAt)).toEqual([runAt(1).key.startedAt]);
    expect((await store.readHistory({ branch: 'release/1', limit: 10 })).runs).toEqual([]);
  });

  it('prunes the oldest runs of the branch past the retention, in the same commit', async () => {
    const store = createStore();
    for (const minute of [1, 2, 3]) await store.append(runAt(minute).doc, runAt(minute).key, 2);
    const other = { ...runAt(4).key, branch: 'release/1' };
    await store.append(runAt(4).doc, other, 1);
    expect(storedPaths()).toEqual([
      'README.md',
      buildRunPath(runAt(2).key),
      buildRunPath(runAt(3).key),
      'runs/release%2F1/20240501T100400.000Z-' + runAt(4).key.sha + '.json',
    ]);
    const head = fake.repo().git.commits.get(fake.repo().git.refs.get('refs/heads/perf-baselines') ?? '');
    expect(head?.message).toBe(`perf-gate: add release/1 run ${runAt(4).key.sha.slice(0, 12)}`);
  });

  it('skips and reports an invalid stored document, and still fills the history', async () => {
    const store = createStore();
    for (const minute of [1, 2]) await store.append(runAt(minute).doc, runAt(minute).key, 10);
    const broken = `runs/main/20240501T100900.000Z-${'f'.repeat(40)}.json`;
    fake.repo().git.commitFiles('perf-baselines', { [broken]: '{"schemaVersion": 99}', 'runs/main/notes.txt': 'hello' });
    const history = await store.readHistory({ branch: 'main', limit: 2 });
    expect(history.runs.map((doc) => doc.run.startedAt)).toEqual([runAt(2).key.startedAt, runAt(1).key.startedAt]);
    expect(history.skipped).toEqual([
      { location: 'acme/shop@perf-baselines:runs/main/notes.txt', reason: "not a run file name (<time>-<sha>.json): 'notes.txt'" },
      { location: `acme/shop@perf-baselines:${broken}`, reason: `acme/shop@perf-baselines:${broken}: not a results document` },
    ]);
    expect(fake.repo().git.readTreeAt('perf-baselines')?.has(broken)).toBe(true);
  });

  it('skips an oversized, a non-JSON, a forbidden-key and an unreadable blob with a reason naming the file, and loads the rest', async () => {
    const store = createStore();
    for (const minute of [1, 2]) await store.append(runAt(minute).doc, runAt(minute).key, 10);
    const valid = JSON.stringify(runAt(9).doc);
    const size = 16 * 1024 * 1024 + 1;
    const bad = {
      big: `runs/main/20240501T101000.000Z-${'b'.repeat(40)}.json`,
      text: `runs/main/20240501T101100.000Z-${'c'.repeat(40)}.json`,
      proto: `runs/main/20240501T101200.000Z-${'d'.repeat(40)}.json`,
      gone: `runs/main/20240501T101300.000Z-${'e'.repeat(40)}.json`,
    };
    // All but the non-JSON one pass the stand-in schema check: only the store's own limits catch them.
    fake.repo().git.commitFiles('perf-baselines', {
      [bad.big]: `${valid}${' '.repeat(size - valid.length)}`,
      [bad.text]: '{"schemaVersion": 1,',
      [bad.proto]: valid.replace('"scenarios":[]', '"scenarios":[{"metrics":{"constructor":{"value":1}}}]'),
      [bad.gone]: valid.replace('"scenarios":[]', '"scenarios":[{"id":"gone"}]'),
    });
    const goneSha = fake.repo().git.readTreeAt('perf-baselines')?.get(bad.gone)?.sha ?? '';
    const bigSha = fake.repo().git.readTreeAt('perf-baselines')?.get(bad.big)?.sha ?? '';
    fake.repo().git.blobs.delete(goneSha); // listed in the tree, but the blob endpoint answers 404
    const before = fake.requests.length;
    const history = await store.readHistory({ branch: 'main', limit: 2 });
    expect(history.runs.map((doc) => doc.run.startedAt)).toEqual([runAt(2).key.startedAt, runAt(1).key.startedAt]);
    const where = (path: string) => `acme/shop@perf-baselines:${path}`;
    expect(history.skipped.map((skipped) => skipped.location)).toEqual([bad.gone, bad.proto, bad.text, bad.big].map(where));
    const reasons = history.skipped.map((skipped) => skipped.reason);
    expect(reasons[0]).toBe(`${where(bad.gone)}: could not be read (HTTP 404)`);
    expect(reasons[1]).toBe(`${where(bad.proto)}: $.scenarios[0].metrics.constructor is a forbidden key ('__proto__', 'constructor' and 'prototype' are refused in every map)`);
    expect(reasons[2]).toMatch(new RegExp(`^${where(bad.text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not valid JSON`));
    expect(reasons[3]).toBe(`${where(bad.big)}: is ${size} bytes, expected at most 16777216 (16 MiB)`);
    // The oversized blob is refused from the tree listing's size, without downloading it.
    const blobReads = fake.requests.slice(before).filter((r) => r.route === 'GET /repos/{owner}/{repo}/git/blobs/{sha}').map((r) => r.path);
    expect(blobReads.some((path) => path.endsWith(bigSha))).toBe(false);
    expect(blobReads.some((path) => path.endsWith(goneSha))).toBe(true);
  });

  it('refuses to store an invalid document', async () => {
    const bad = { ...runAt(1).doc, schemaVersion: 2 } as unknown as ResultsDocument;
    await expect(createStore().append(bad, runAt(1).key, 10)).rejects.toThrow('the run to store at runs/main/');
    expect(fake.repo().git.refs.has('refs/heads/perf-baselines')).toBe(false);
  });

  it('keeps both runs when two writers append at the same time', async () => {
    await createStore().append(runAt(1).doc, runAt(1).key, 10);
    const before = fake.requests.length;
    fake.holdUntil(GET_TREE, 2); // both writers read the same head, so one ref update must fail
    const [a, b] = [createStore(FAKE_TOKENS.actions), createStore(FAKE_TOKENS.maintainer)];
    await Promise.all([a.append(runAt(2).doc, runAt(2).key, 10), b.append(runAt(3).doc, runAt(3).key, 10)]);
    const updates = fake.requests.slice(before).filter((r) => r.route === UPDATE_REF).map((r) => r.status);
    expect(updates.sort()).toEqual([200, 200, 422]);
    expect(storedPaths()).toEqual(['README.md', ...[1, 2, 3].map((m) => buildRunPath(runAt(m).key))]);
  });

  it('keeps both runs when two writers race to create the branch', async () => {
    fake.holdUntil('GET /repos/{owner}/{repo}/git/ref/{ref+}', 2);
    const [a, b] = [createStore(FAKE_TOKENS.actions), createStore(FAKE_TOKENS.maintainer)];
    await Promise.all([a.append(runAt(1).doc, runAt(1).key, 10), b.append(runAt(2).doc, runAt(2).key, 10)]);
    expect(fake.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/git/refs').map((r) => r.status).sort()).toEqual([201, 422]);
    expect(storedPaths()).toEqual(['README.md', buildRunPath(runAt(1).key), buildRunPath(runAt(2).key)]);
  });

  it('gives up after the bounded number of conflicting attempts', async () => {
    fake.injectResponse(UPDATE_REF, { status: 422, body: { message: 'Update is not a fast forward' } }, 10);
    const store = new GitHubBranchStore({ octokit: createFakeClient(fake, FAKE_TOKENS.actions), owner: 'acme', repo: 'shop', validate, maxAttempts: 3, backoffMs: 1 });
    await store.append(runAt(1).doc, runAt(1).key, 10).catch(() => undefined);
    await expect(store.append(runAt(2).doc, runAt(2).key, 10)).rejects.toMatchObject({ status: 422 });
    expect(fake.countRequests(UPDATE_REF)).toBe(6);
  });
});

describe('readFileFromRef', () => {
  it('reads a file at a ref and returns undefined when it is missing', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.readOnly);
    expect(await readFileFromRef(octokit, { owner: 'acme', repo: 'shop', ref: 'main', path: 'thresholds.json' })).toBe('{"v":1}\n');
    expect(await readFileFromRef(octokit, { owner: 'acme', repo: 'shop', ref: 'main', path: 'nope.json' })).toBeUndefined();
  });
});
