/**
 * What every end-to-end test of the action shares: a database role whose password is easy to grep
 * for (so a leak is caught), a fake GitHub with the proxy in front, and the default inputs of a
 * small, fast run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { startGitHubProxy, type GitHubProxy } from './github-proxy.js';
import type { ActionResult } from './run-action.js';

/** Decoded; the URL carries it encoded (`%2F`, `%23`), and both forms must stay hidden. */
export const DB_PASSWORD = 'E2e/Pa55#word';
export const ENCODED_DB_PASSWORD = encodeURIComponent(DB_PASSWORD);

/** A small run: one benchmark.js scenario (its lodash must be in the bundle) and one pool scenario. */
export const SMALL_RUN = { scenarios: 'bench.crud.get_by_id,pooling.monitoring' };
/** The scenario the baseline, regression and threshold tests look at. */
export const KEY_SCENARIO = 'bench.crud.get_by_id';
export const SMALL_ENV = { PERF_GATE_USERS: '300', PERF_GATE_SCALE: '0.1' };

/** Creates a superuser role with DB_PASSWORD on the test server; returns its URL and a drop(). */
export async function createGateRole(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const role = `perf_gate_e2e_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE "${role}" LOGIN SUPERUSER PASSWORD '${DB_PASSWORD}'`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.username = role;
  url.password = ENCODED_DB_PASSWORD;
  url.pathname = '/postgres';
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
      await client.end();
    },
  };
}

export interface GitHubStage {
  fake: FakeGitHub;
  proxy: GitHubProxy;
  /** The default branch's head: the base sha of pull requests, the sha of pushes. */
  mainSha: string;
  close(): Promise<void>;
}

/** A fake GitHub holding acme/shop with `thresholds.json` on main, behind the proxy. */
export async function startGitHubStage(thresholdsText: string): Promise<GitHubStage> {
  const fake = await startFakeGitHub({ repos: { 'acme/shop': { files: { 'thresholds.json': thresholdsText } } } });
  const proxy = await startGitHubProxy(fake);
  const mainSha = fake.repo().git.refs.get('refs/heads/main') ?? '';
  return {
    fake,
    proxy,
    mainSha,
    async close() {
      await proxy.close();
      await fake.close();
    },
  };
}

/**
 * The inputs of a gate run; `overrides` win. `compare: history`: these runs test the judgement
 * against the baseline history (the duet's tests, action-duet.int.test.ts, override it).
 */
export function gateInputs(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { 'database-url': databaseUrl, 'github-token': FAKE_TOKENS.actions, compare: 'history', ...SMALL_RUN, ...overrides };
}

/** Fails when a form of the password shows in the log (masking commands aside) or in `texts`. */
export function findLeaks(result: ActionResult, texts: readonly string[] = []): string[] {
  const visible = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [visible, result.summary, ...texts].filter((text) => text.includes(DB_PASSWORD) || text.includes(ENCODED_DB_PASSWORD));
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
