/**
 * `perf-gate run --against main` in a user's repository: the NestJS + MikroORM 6 fixture committed
 * to a git repository of its own, a branch that adds an N+1 query to `listPage` (caught), and a
 * branch that changes nothing the perf file measures (passes). The base arm is a worktree of main
 * with its dependencies installed from the lockfile by npm; both arms run the installed perf-gate.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/child-process.js';
import { serverUrl } from '../support/database.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/nest-orm6');
const bin = path.join(fixture, 'node_modules/.bin/perf-gate');

let repo: string;
let cache: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

beforeAll(async () => {
  if (!(await readFile(bin).then(() => true, () => false))) {
    const install = await runProcess('bash', ['scripts/install-fixtures.sh'], { cwd: root, env: process.env });
    expect(install.code, install.stderr).toBe(0);
  }
  repo = await mkdtemp(path.join(tmpdir(), 'perf-gate-duet-repo-'));
  cache = await mkdtemp(path.join(tmpdir(), 'perf-gate-duet-cache-'));
  await cp(fixture, repo, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
  git('init', '-q', '-b', 'main');
  await appendFile(path.join(repo, '.git/info/exclude'), 'node_modules\n.perf-gate\n');
  git('add', '.');
  git('commit', '-q', '-m', 'bookstore');
  // The working tree uses the installed dependencies (with perf-gate), as after `npm ci`.
  await symlink(path.join(fixture, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
}, 600_000);

afterAll(async () => {
  if (repo) {
    execFileSync('git', ['worktree', 'prune'], { cwd: repo });
    await rm(repo, { recursive: true, force: true });
  }
  if (cache) await rm(cache, { recursive: true, force: true });
});

function duet(args: string[]) {
  const env = { ...process.env, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: serverUrl(), PERF_GATE_ARMS_CACHE: cache };
  return runProcess(bin, ['run', '--against', 'main', '--no-confirm-rerun', ...args], { cwd: repo, env });
}

interface Verdict {
  scenarioId: string;
  metric: string;
  kind: string;
  paired?: { changePercent: number | null };
}

async function verdictsOf(file: string): Promise<Verdict[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { verdicts: Verdict[] }).verdicts;
}

describe('perf-gate run --against main in a project', () => {
  it('catches an N+1 query added to listPage, head against the base commit’s worktree', async () => {
    git('checkout', '-q', '-b', 'n-plus-one');
    git('apply', 'test-branches/n-plus-one.patch');
    git('commit', '-q', '-am', 'list: load authors one by one');
    const json = path.join(repo, 'comparison.json');
    const run = await duet(['--scenarios', 'bench.books.list_page:25', '--rounds', '12', '--json', json]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/base [0-9a-f]{12}: dependencies installed \(npm ci\)/);
    const avg = (await verdictsOf(json)).find((v) => v.scenarioId === 'bench.books.list_page:25' && v.metric === 'avg_ms');
    expect(avg?.kind).toBe('regressed');
    // 25 rows: one query for the page and the count, then 25 for the authors instead of a join.
    expect(avg?.paired?.changePercent).toBeGreaterThan(100);
  }, 600_000);

  it('passes a branch that changes nothing measured, reusing the base worktree and its dependencies', async () => {
    git('checkout', '-q', 'main');
    git('checkout', '-q', '-b', 'docs-only');
    await writeFile(path.join(repo, 'CHANGELOG.md'), 'docs only\n');
    git('add', 'CHANGELOG.md');
    git('commit', '-q', '-m', 'docs');
    const run = await duet(['--scenarios', 'bench.books.find_by_id', '--rounds', '12']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/base [0-9a-f]{12}: dependencies reused/);
  }, 600_000);

  it('falls back to the history when the base commit has no perf file, and says so', async () => {
    git('checkout', '-q', '--orphan', 'bare');
    git('rm', '-q', '-r', '--cached', 'perf');
    git('commit', '-q', '-m', 'without the perf file');
    const bareSha = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', '-f', 'docs-only');
    const env = { ...process.env, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: serverUrl(), PERF_GATE_ARMS_CACHE: cache };
    const run = await runProcess(bin, ['run', '--against', bareSha, '--scenarios', 'bench.books.find_by_id', '--scale', '0.05'], { cwd: repo, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`duet unavailable, running the single-arm gate against the history: the base commit ${bareSha.slice(0, 12)} has no perf/gate.perf.ts: it predates the perf file`);
  }, 600_000);
});
