/**
 * The bundled action on a user's repository with a perf file (each fixture: NestJS + MikroORM 6 on
 * Node 20, ESM defineEntity + MikroORM 7 on Node 24, as `runs.using: node24` runs it):
 * a pull request runs head against base (the base commit fetched from origin, a worktree with its
 * dependencies from the lockfile) and comments; a push to main runs the perf file once and stores
 * it as a baseline. The workspace's node_modules are the fixture's installed ones (what `npm ci`
 * makes on a runner); the action itself is a bundle with no node_modules around it.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonDocument } from '../../src/report/comparison-schema.js';
import { runProcess } from '../support/child-process.js';
import { serverUrl } from '../support/database.js';
import { buildBundle, createRunner, makeTempFolder, removeFolder, REPO_ROOT, type Runner } from './support/action-bundle.js';
import { pullRequestEvent, pushEvent } from './support/events.js';
import { createGateRole, findLeaks, gateInputs, startGitHubStage, type GitHubStage } from './support/gate-fixture.js';
import { runAction, type ActionResult } from './support/run-action.js';

interface FixtureCase {
  name: string;
  dir: string;
  scenario: string;
  /** MikroORM version and config as the log names them. */
  measuring: RegExp;
  /** The node binary that runs the action (undefined: this one). */
  node?: () => string;
}

const CASES: FixtureCase[] = [
  { name: 'NestJS + MikroORM 6', dir: 'test/fixtures/nest-orm6', scenario: 'bench.books.find_by_id', measuring: /MikroORM 6\.6\.16, config src\/config\/mikro-orm\.config\.ts/ },
  {
    name: 'defineEntity + MikroORM 7 on Node 24',
    dir: 'test/fixtures/esm-orm7',
    scenario: 'bench.get_product',
    measuring: /MikroORM 7\.\d+\.\d+, config src\/mikro-orm\.config\.ts/,
    node: () => execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8' }).trim().split('\n').pop()!,
  },
];
/** Warnings only: an A/A verdict at this size must not depend on chance. */
const WARN_ONLY = JSON.stringify({ defaults: { severity: 'warn' } });
const ENV = { PERF_GATE_USERS: '300', PERF_GATE_SCALE: '0.1' };

describe.each(CASES)('the action on a repository with a perf file: $name', (fixtureCase) => {
  const fixture = path.join(REPO_ROOT, fixtureCase.dir);
  const SCENARIO = fixtureCase.scenario;
  const command = (): string[] | undefined => (fixtureCase.node ? [fixtureCase.node()] : undefined);
  let temp: string;
  let bundleDir: string;
  let origin: string;
  let baseSha: string;
  let role: Awaited<ReturnType<typeof createGateRole>>;

  function git(cwd: string, ...args: string[]): string {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };
    return execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim();
  }

  beforeAll(async () => {
    if (!existsSync(path.join(fixture, 'node_modules/perf-gate'))) {
      const install = await runProcess('bash', ['scripts/install-fixtures.sh'], { cwd: REPO_ROOT, env: process.env });
      expect(install.code, install.stderr).toBe(0);
    }
    temp = await makeTempFolder('perf-gate-action-project-');
    [bundleDir, role] = await Promise.all([buildBundle(temp), createGateRole(serverUrl())]);
    // The user's repository on the "server": the fixture at the base commit.
    origin = path.join(temp, 'origin');
    await cp(fixture, origin, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
    await writeFile(path.join(origin, 'thresholds.json'), WARN_ONLY);
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'bookstore with a perf file');
    baseSha = git(origin, 'rev-parse', 'HEAD');
  }, 300_000);

  afterAll(async () => {
    await role?.drop();
    await removeFolder(temp);
  });

  /** A runner whose workspace is a clone of origin (the checkout) with the installed dependencies. */
  async function checkout(): Promise<{ runner: Runner; stage: GitHubStage }> {
    const runner = await createRunner(bundleDir);
    await rm(runner.workspace, { recursive: true, force: true });
    await mkdir(runner.workspace);
    git(runner.workspace, 'clone', '-q', `file://${origin}`, '.');
    await symlink(path.join(fixture, 'node_modules'), path.join(runner.workspace, 'node_modules'), 'dir');
    await writeFile(path.join(runner.workspace, '.git/info/exclude'), 'node_modules\nperf-gate\n');
    const stage = await startGitHubStage(WARN_ONLY);
    return { runner, stage };
  }

  function explain(result: ActionResult): string {
    const lines = result.stdout.split('\n').filter((line) => /^::(error|warning)::|perf-gate: (pass|fail)|arms prepared|duet|measuring|dependencies/.test(line));
    return `${lines.join('\n')}\n${result.stderr.slice(-3000)}`;
  }

  it('runs a pull request head against its base worktree and comments', async () => {
    const { runner, stage } = await checkout();
    try {
      const inputs = gateInputs(role.url, { compare: 'duet', scenarios: SCENARIO, 'duet-rounds': '6' });
      const result = await runAction(runner, {
        inputs,
        event: pullRequestEvent({ number: 7, headSha: baseSha, baseSha }),
        sha: baseSha,
        ref: 'refs/pull/7/merge',
        apiUrl: stage.proxy.url,
        env: { ...ENV, PERF_GATE_ARMS_CACHE: path.join(temp, 'arms') },
        ...(command() ? { command: command()! } : {}),
      });
      expect(result.code, explain(result)).toBe(0);
      expect(result.stdout).toMatch(fixtureCase.measuring);
      expect(result.stdout).toMatch(new RegExp(`base ${baseSha.slice(0, 12)}: dependencies installed \\(npm ci\\)`));
      const body = stage.fake.repo().comments.find((comment) => comment.issueNumber === 7)?.body ?? '';
      expect(body.split('\n')[1]).toMatch(/^✅ \*\*perf-gate: pass\*\*/);
      expect(body.split('\n')[2]).toMatch(new RegExp(`^Head \`${baseSha.slice(0, 7)}\` vs base \`${baseSha.slice(0, 7)}\`, same runner, 6 rounds each`));
      const comparison = JSON.parse(await readFile(result.outputs['comparison-path'] ?? '', 'utf8')) as ComparisonDocument;
      expect(comparison.mode).toBe('duet');
      expect(comparison.duet?.scenarios.map((s) => [s.scenarioId, s.status])).toEqual([[SCENARIO, 'paired']]);
      // Reproduced in the user's repository with its installed perf-gate.
      expect(body).toContain(`npm ci && npx perf-gate run --against ${baseSha}`);
      expect(findLeaks(result, [body])).toEqual([]);
    } finally {
      await stage.close();
      await removeFolder(runner.root);
    }
  }, 600_000);

  it('stores a push to main as a baseline of the perf file’s scenarios', async () => {
    const { runner, stage } = await checkout();
    try {
      const result = await runAction(runner, {
        inputs: gateInputs(role.url, { scenarios: SCENARIO }),
        event: pushEvent(stage.mainSha),
        sha: stage.mainSha,
        ref: 'refs/heads/main',
        apiUrl: stage.proxy.url,
        env: ENV,
        ...(command() ? { command: command()! } : {}),
      });
      expect(result.code, explain(result)).toBe(0);
      expect(result.stdout).toContain("stored as a baseline of 'main'");
      const tree = stage.fake.repo().git.readTreeAt('perf-baselines');
      const runs = [...(tree?.keys() ?? [])].filter((name) => name.startsWith('runs/'));
      expect(runs).toHaveLength(1);
      const stored = JSON.parse(stage.fake.repo().git.blobs.get(tree?.get(runs[0]!)?.sha ?? '')?.toString() ?? '{}') as { scenarios: Array<{ id: string }> };
      expect(stored.scenarios.map((s) => s.id)).toEqual([SCENARIO]);
    } finally {
      await stage.close();
      await removeFolder(runner.root);
    }
  }, 600_000);
});
