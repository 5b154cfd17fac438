/**
 * Preparing the base arm from git, on a temporary repository: a commit with a committed worker is
 * available (extracted once, then reused), one without is not, and neither is a ref git cannot
 * resolve; a branch means its merge base with HEAD. With `fetch` (the action's shallow checkout), a
 * commit the checkout lacks is fetched from origin one deep; one origin does not have is unavailable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armsFolder, bundleArm, prepareBaseArm } from '../../src/duet/arms.js';
import { makeTempFolder, removeFolder } from '../action/support/action-bundle.js';

let repo: string;
const commits: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' },
  }).trim();
}

async function commit(name: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), text);
  }
  git('add', '-A');
  git('commit', '-q', '-m', name);
  commits[name] = git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  repo = await makeTempFolder('perf-gate-arms-test-');
  git('init', '-q', '-b', 'main');
  await commit('before-duet', { 'README.md': 'old\n' });
  git('tag', 'old');
  await commit('with-worker', { 'dist/worker.js': '// worker of with-worker\n', 'dist/package.json': '{ "type": "module" }\n' });
  git('checkout', '-q', '-b', 'feature');
  await commit('feature-work', { 'src.txt': 'feature\n' });
  git('checkout', '-q', 'main');
  await commit('main-moved-on', { 'dist/worker.js': '// worker of main-moved-on\n' });
  git('checkout', '-q', 'feature');
});

afterAll(async () => {
  await removeFolder(repo);
});

describe('prepareBaseArm', () => {
  it("takes a branch's merge base with HEAD, extracts its committed dist/ once and reuses it", async () => {
    const first = await prepareBaseArm(repo, 'main');
    expect(first).toMatchObject({ kind: 'available', reused: false, arm: { name: 'base', sha: commits['with-worker'] } });
    const worker = path.join(armsFolder(repo), commits['with-worker']!, 'dist', 'worker.js');
    expect(first.kind === 'available' && first.arm.command).toEqual([process.execPath, worker]);
    expect(await readFile(worker, 'utf8')).toBe('// worker of with-worker\n');
    expect(existsSync(path.join(path.dirname(worker), 'package.json'))).toBe(true);
    expect(await prepareBaseArm(repo, 'main')).toMatchObject({ kind: 'available', reused: true });
  });

  it('takes a commit or a tag as it is', async () => {
    const bySha = await prepareBaseArm(repo, commits['main-moved-on']!);
    expect(bySha).toMatchObject({ kind: 'available', arm: { sha: commits['main-moved-on'] } });
    const worker = bySha.kind === 'available' ? bySha.arm.command[1]! : '';
    expect(await readFile(worker, 'utf8')).toBe('// worker of main-moved-on\n');
  });

  it('is unavailable, with a one-line reason, for a commit without a worker or a ref git cannot resolve', async () => {
    const old = await prepareBaseArm(repo, 'old');
    expect(old).toEqual({
      kind: 'unavailable',
      reason: `the base commit ${commits['before-duet']!.slice(0, 12)} ('old') has no dist/worker.js: it predates duet`,
    });
    const unknown = await prepareBaseArm(repo, 'no-such-branch');
    expect(unknown).toEqual({ kind: 'unavailable', reason: "git cannot resolve 'no-such-branch' to a commit" });
    expect(await prepareBaseArm(repo, '--output=x')).toEqual({ kind: 'unavailable', reason: "'--output=x' is not a git ref" });
    const outside = await makeTempFolder('perf-gate-not-a-repo-');
    try {
      const result = await prepareBaseArm(outside, 'main');
      expect(result.kind).toBe('unavailable');
      expect(result.kind === 'unavailable' && result.reason).toMatch(/^git cannot resolve 'main' to a commit/);
      expect(result.kind === 'unavailable' && result.reason.includes('\n')).toBe(false);
    } finally {
      await removeFolder(outside);
    }
  });

  it('with fetch, fetches a missing base commit from origin one deep, and says why when it cannot', async () => {
    const checkout = await makeTempFolder('perf-gate-shallow-checkout-');
    try {
      execFileSync('git', ['init', '-q'], { cwd: checkout });
      execFileSync('git', ['remote', 'add', 'origin', `file://${repo}`], { cwd: checkout });
      const sha = commits['with-worker']!;
      const fetched = await prepareBaseArm(checkout, sha, { fetch: true });
      expect(fetched).toMatchObject({ kind: 'available', reused: false, arm: { name: 'base', sha } });
      expect(await readFile(path.join(armsFolder(checkout), sha, 'dist', 'worker.js'), 'utf8')).toBe('// worker of with-worker\n');
      // One deep: the commit's parent did not come with it.
      expect(execFileSync('git', ['rev-list', '--count', sha], { cwd: checkout, encoding: 'utf8' }).trim()).toBe('1');

      const old = commits['before-duet']!;
      expect(await prepareBaseArm(checkout, old, { fetch: true })).toEqual({
        kind: 'unavailable',
        reason: `the base commit ${old.slice(0, 12)} has no dist/worker.js: it predates duet`,
      });
      const missing = await prepareBaseArm(checkout, 'e'.repeat(40), { fetch: true });
      expect(missing.kind === 'unavailable' && missing.reason).toMatch(/^could not fetch the base commit eeeeeeeeeeee from origin \(.+\)$/);
      expect(missing.kind === 'unavailable' && missing.reason.includes('\n')).toBe(false);
      expect(await prepareBaseArm(checkout, 'main', { fetch: true })).toEqual({ kind: 'unavailable', reason: "'main' is not a commit sha" });
    } finally {
      await removeFolder(checkout);
    }
  });
});

describe('bundleArm', () => {
  it("is the worker.js of a bundle folder, or undefined when the folder has none", async () => {
    const dir = path.join(repo, 'dist');
    expect(existsSync(path.join(dir, 'worker.js'))).toBe(true);
    expect(bundleArm('head', dir, 'abc')).toEqual({ name: 'head', sha: 'abc', command: [process.execPath, path.join(dir, 'worker.js')] });
    expect(bundleArm('head', repo)).toBeUndefined();
  });
});
