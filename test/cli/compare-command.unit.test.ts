import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../src/cli/compare-command.js';
import { LocalDirectoryStore } from '../../src/publish/local-store.js';
import { writeResults } from '../../src/results/results-io.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

let directory: string;
const thresholdsPath = new URL('../../thresholds.json', import.meta.url).pathname;

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } };
  return { out, io };
}

const getById = (avg: number, minute = 0) =>
  makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: avg })], startedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString() });

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'perf-gate-cli-'));
  const store = new LocalDirectoryStore(join(directory, 'store'));
  for (const [i, avg] of [0.3, 0.31, 0.29, 0.3].entries()) {
    await store.append(getById(avg, i), { branch: 'main', sha: `${i}`.repeat(40), startedAt: getById(avg, i).run.startedAt }, 10);
  }
  await writeResults(join(directory, 'same.json'), getById(0.3, 9));
  await writeResults(join(directory, 'slow.json'), getById(0.6, 9));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('perf-gate compare', () => {
  it('exits 0 on a passing verdict and writes markdown and JSON', async () => {
    const { out, io } = captureIo();
    const md = join(directory, 'out.md');
    const json = join(directory, 'out.json');
    const args = ['--current', join(directory, 'same.json'), '--baseline', join(directory, 'store'), '--thresholds', thresholdsPath, '--markdown', md, '--json', json];
    expect(await runCompare(args, io)).toBe(0);
    expect(out.stdout).toContain('perf-gate: pass');
    expect(await readFile(md, 'utf8')).toMatch(/^<!-- perf-gate:perf-gate -->\n✅ \*\*perf-gate: pass\*\*/);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ schemaVersion: 2, outcome: { kind: 'pass' } });
  });

  it('exits 1 on a failing verdict, against a single baseline file too', async () => {
    const { out, io } = captureIo();
    const args = ['--current', join(directory, 'slow.json'), '--baseline', join(directory, 'store'), '--thresholds', thresholdsPath];
    expect(await runCompare(args, io)).toBe(1);
    expect(out.stdout).toContain('regressed (fail)');
    const single = ['--current', join(directory, 'slow.json'), '--baseline', join(directory, 'same.json'), '--thresholds', thresholdsPath];
    expect(await runCompare(single, captureIo().io)).toBe(1);
  });

  it('exits 2 on bad input, naming the flag and the value', async () => {
    const missing = captureIo();
    expect(await runCompare(['--current', join(directory, 'nope.json')], missing.io)).toBe(2);
    expect(missing.out.stderr).toContain(`--current '${join(directory, 'nope.json')}': ENOENT`);
    const unknown = captureIo();
    expect(await runCompare(['--current', 'x', '--colour'], unknown.io)).toBe(2);
    expect(unknown.out.stderr).toContain("Unknown option '--colour'");
    const none = captureIo();
    expect(await runCompare([], none.io)).toBe(2);
    expect(none.out.stderr).toContain('--current is required');
    const badThresholds = join(directory, 'bad-thresholds.json');
    await writeFile(badThresholds, '{"history": 0}');
    const bad = captureIo();
    expect(await runCompare(['--current', join(directory, 'same.json'), '--thresholds', badThresholds], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain(`--thresholds '${badThresholds}': ${badThresholds}: $.history must be >= 1, got 0`);
  });
});
