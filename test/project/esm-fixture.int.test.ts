/**
 * `perf-gate run` in an ES module project on MikroORM 7 (test/fixtures/esm-orm7: defineEntity,
 * `.ts` import paths, a hand-written migration), on Node 24 (MikroORM 7 needs Node 22.17 or newer;
 * the registry's `node` package brings it): the same installed bundle, every template.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/types.js';
import { untimedFailures } from '../support/checks.js';
import { runProcess } from '../support/child-process.js';
import { serverUrl } from '../support/database.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/esm-orm7');
const cli = path.join(fixture, 'node_modules/perf-gate/dist/cli.js');
let node24: string;

beforeAll(async () => {
  if (!existsSync(cli)) {
    const install = await runProcess('bash', ['scripts/install-fixtures.sh'], { cwd: root, env: process.env });
    expect(install.code, install.stderr).toBe(0);
  }
  node24 = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8' }).trim().split('\n').pop()!;
}, 600_000);

describe('perf-gate run in an ESM MikroORM 7 project on Node 24', () => {
  it('runs every template on the project’s pool (node-pg) and leaves no snapshot in its sources', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'perf-gate-esm-')), 'results.json');
    const env = { ...process.env, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: serverUrl() };
    const run = await runProcess(node24, [cli, 'run', '--scale', '0.05', '--users', '300', '--seed', '3', '--output', out], { cwd: fixture, env });
    // The fixture's data layer has no retry: transient failures and a black-holed server fail their checks (exit 1).
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).toMatch(/MikroORM 7\.\d+\.\d+, config src\/mikro-orm\.config\.ts/);
    const { scenarios, environment } = JSON.parse(await readFile(out, 'utf8')) as {
      scenarios: Array<{ id: string; status: string; metrics: Record<string, { value: number }>; checks: Array<{ name: string; passed: boolean }> }>;
      environment: { node: { major: number } };
    };
    expect(environment.node.major).toBe(24);
    expect(scenarios.filter((s) => s.status === 'errored').map((s) => s.id)).toEqual([]);
    const categories = new Set(scenarios.map((s) => s.id.split('.')[0]));
    expect([...categories]).toEqual(['pooling', 'retry', 'sessions', 'bench']);
    const normal = scenarios.find((s) => s.id.endsWith('.normal_load'))!;
    expect(normal.status).toBe('passed');
    expect(normal.metrics.pool_peak_in_use!.value).toBeGreaterThan(1);
    const recycling = scenarios.find((s) => s.id.endsWith('.recycling'))!;
    expect(recycling.metrics.unique_connections!.value).toBeGreaterThan(0);
    for (const s of scenarios) expect(s.checks.find((c) => c.name === 'no_sessions_leaked')?.passed, s.id).toBe(true);
    // The customer read behind the project's own retry and breaker keeps its declared policy (no timeoutMs: no timeout scenario).
    const resilient = scenarios.filter((s) => s.id.startsWith('retry.find_customer_resilient.'));
    expect(resilient.map((s) => s.id.split('.').pop())).toEqual(['transient_failures', 'circuit_breaker', 'exponential_backoff', 'retry_storm']);
    for (const s of resilient) expect({ id: s.id, failed: untimedFailures(s as unknown as ScenarioResult) }).toEqual({ id: s.id, failed: [] });
    expect((await readdir(path.join(fixture, 'src/migrations'))).filter((f) => f.startsWith('.snapshot'))).toEqual([]);
  }, 600_000);

  it('refuses to run MikroORM 7 on Node 20, saying which Node it needs', async () => {
    const env = { ...process.env, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: serverUrl() };
    const run = await runProcess(process.execPath, [cli, 'run', '--scenarios', 'bench.get_product'], { cwd: fixture, env });
    if (Number(process.versions.node.split('.')[0]) >= 22) return;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/@mikro-orm\/core 7\.\d+\.\d+ \(MikroORM 7\) needs Node 22\.17 or newer; this is Node 20\./);
  }, 120_000);
});
