import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResults, validateResults, writeResults } from '../../src/results/results-io.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'perf-gate-results-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const valid = (): ResultsDocument => makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.3 })] });

describe('results io', () => {
  it('writes atomically and reads back the same document', async () => {
    const path = join(directory, 'results.json');
    await writeResults(path, valid());
    expect(await readResults(path)).toEqual(valid());
    expect(await readdir(directory)).toEqual(['results.json']);
  });

  it('refuses to write an invalid document and leaves no file behind', async () => {
    const path = join(directory, 'results.json');
    const bad = { ...valid(), timings: { ...valid().timings, totalMs: -1 } };
    await expect(writeResults(path, bad)).rejects.toThrow(`${path}: $.timings.totalMs must be >= 0, got -1`);
    expect(await readdir(directory)).toEqual([]);
  });

  it('names the file, the JSON path, the value and the expectation', async () => {
    const doc = valid() as unknown as { scenarios: { metrics: { avg_ms: { unit: string } } }[] };
    const metric = doc.scenarios[0]?.metrics.avg_ms;
    if (metric) metric.unit = 'seconds';
    const path = join(directory, 'bad.json');
    await writeFile(path, JSON.stringify(doc));
    await expect(readResults(path)).rejects.toThrow(
      `${path}: $.scenarios[0].metrics.avg_ms.unit must be one of ["ms","s","ops/s","count","ratio","percent","MB"], got "seconds"`,
    );
  });

  it('rejects unknown keys, an error field on a passed scenario, and text that is not JSON', async () => {
    expect(() => validateResults({ ...valid(), extra: 1 }, 'doc')).toThrow("doc: $ has unknown key 'extra' (value 1)");
    const scenario = { ...makeScenario('bench.crud.create', {}), error: { name: 'E', message: 'm' } };
    expect(() => validateResults({ ...valid(), scenarios: [scenario] }, 'doc')).toThrow('doc: $.scenarios[0].error is not allowed here, got {"name":"E","message":"m"}');
    const errored = { ...makeScenario('bench.crud.create', {}), status: 'errored' };
    expect(() => validateResults({ ...valid(), scenarios: [errored] }, 'doc')).toThrow("doc: $.scenarios[0] is missing the required key 'error'");
    const path = join(directory, 'text.json');
    await writeFile(path, 'not json');
    await expect(readResults(path)).rejects.toThrow(`${path}: is not valid JSON`);
    expect(await readFile(path, 'utf8')).toBe('not json');
  });
});
