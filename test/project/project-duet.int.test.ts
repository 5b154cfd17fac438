/**
 * `perf-gate run --against main` in a user's repository, for each fixture project (NestJS +
 * MikroORM 6 on Node 20; ESM defineEntity + MikroORM 7 on Node 24): the fixture committed to a git
 * repository of its own, a branch that adds an N+1 query to its list operation (caught), and a
 * branch that changes nothing the perf file measures (passes). The base arm is a worktree of main
 * with its dependencies installed from the lockfile by npm; both arms run the installed perf-gate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/child-process.js';
import { serverUrl } from '../support/database.js';

const root = path.resolve(import.meta.dirname, '../..');

interface FixtureCase {
  name: string;
  dir: string;
  /** The list scenario the N+1 branch slows down, and a scenario it does not touch. */
  listScenario: string;
  otherScenario: string;
  /** The node that runs perf-gate for this project. */
  node: () => string;
}

const CASES: FixtureCase[] = [
  { name: 'NestJS + MikroORM 6 (CommonJS, Node 20)', dir: 'test/fixtures/nest-orm6', listScenario: 'bench.books.list_page:25', otherScenario: 'bench.books.find_by_id', node: () => process.execPath },
  {
    name: 'defineEntity + MikroORM 7 (ES modules, Node 24)',
    dir: 'test/fixtures/esm-orm7',
    listScenario: 'bench.list_orders:25',
    otherScenario: 'bench.get_product',
    node: () => execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8' }).trim().split('\n').pop()!,
  },
];

interface Verdict {
  scenarioId: string;
  metric: string;
  kind: string;
  paired?: { changePercent: number | null };
}

async function verdictsOf(file: string): Promise<Verdict[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { verdicts: Verdict[] }).verdicts;
}

describe.each(CASES)('perf-gate run --against main in a project: $name', (fixtureCase) => {
  const fixture = path.join(root, fixtureCase.dir);
  const cli = path.join(fixture, 'node_modules/perf-gate/dist/cli.js');
  let repo: string;
  let cache: string;
  let node: string;

  function git(...args: string[]): string {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  }

  function perfGate(args: string[]) {
    const env = { ...process.env, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: serverUrl(), PERF_GATE_ARMS_CACHE: cache };
    return runProcess(node, [cli, 'run', '--no-confirm-rerun', ...args], { cwd: repo, env });
  }

  beforeAll(async () => {
    if (!existsSync(cli)) {
      const install = await runProcess('bash', ['scripts/install-fixtures.sh'], { cwd: root, env: process.env });
      expect(install.code, install.stderr).toBe(0);
    }
    node = fixtureCase.node();
    repo = await mkdtemp(path.join(tmpdir(), 'perf-gate-duet-repo-'));
    cache = await mkdtemp(path.join(tmpdir(), 'perf-gate-duet-cache-'));
    await cp(fixture, repo, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
    git('init', '-q', '-b', 'main');
    await appendFile(path.join(repo, '.git/info/exclude'), 'node_modules\n.perf-gate\n');
    git('add', '.');
    git('commit', '-q', '-m', 'the service');
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

  it('catches an N+1 query added to the list operation, head against the base commit’s worktree', async () => {
    git('checkout', '-q', '-b', 'n-plus-one');
    git('apply', 'test-branches/n-plus-one.patch');
    git('commit', '-q', '-am', 'list: load the related rows one by one');
    const json = path.join(repo, 'comparison.json');
    const run = await perfGate(['--against', 'main', '--scenarios', fixtureCase.listScenario, '--rounds', '12', '--json', json]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/base [0-9a-f]{12}: dependencies installed \(npm ci\)/);
    const avg = (await verdictsOf(json)).find((v) => v.scenarioId === fixtureCase.listScenario && v.metric === 'avg_ms');
    expect(avg?.kind).toBe('regressed');
    // 25 rows: the page's queries, then one query per row instead of a join or a batch.
    expect(avg?.paired?.changePercent).toBeGreaterThan(100);
  }, 600_000);

  it('passes a branch that changes nothing measured, reusing the base worktree and its dependencies', async () => {
    git('checkout', '-q', 'main');
    git('checkout', '-q', '-b', 'docs-only');
    await writeFile(path.join(repo, 'CHANGELOG.md'), 'docs only\n');
    git('add', 'CHANGELOG.md');
    git('commit', '-q', '-m', 'docs');
    const run = await perfGate(['--against', 'main', '--scenarios', fixtureCase.otherScenario, '--rounds', '12']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/base [0-9a-f]{12}: dependencies reused/);
  }, 600_000);

  it('falls back to the history when the base commit has no perf file, and says so', async () => {
    git('checkout', '-q', '--orphan', 'bare');
    git('rm', '-q', '-r', '--cached', 'perf');
    git('commit', '-q', '-m', 'without the perf file');
    const bareSha = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', '-f', 'docs-only');
    const run = await perfGate(['--against', bareSha, '--scenarios', fixtureCase.otherScenario, '--scale', '0.05']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`duet unavailable, running the single-arm gate against the history: the base commit ${bareSha.slice(0, 12)} has no perf/gate.perf.ts: it predates the perf file`);
  }, 600_000);
});
