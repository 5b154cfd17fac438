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

describe('results io: documents from outside', () => {
  /** The valid document as text with `metrics` of its first scenario replaced by `metricsJson`. */
  const withMetricsText = (metricsJson: string): string => {
    const marker = '"__metrics_marker__"';
    const doc = valid() as unknown as { scenarios: { metrics: unknown }[] };
    if (doc.scenarios[0]) doc.scenarios[0].metrics = '__metrics_marker__';
    return JSON.stringify(doc).replace(marker, metricsJson);
  };

  it('refuses a document above 16 MiB before parsing it', async () => {
    const path = join(directory, 'big.json');
    const text = JSON.stringify(valid());
    const size = 16 * 1024 * 1024 + 1;
    // Valid JSON of a valid document, padded with spaces: only its size is wrong.
    await writeFile(path, `${text}${' '.repeat(size - text.length)}`);
    await expect(readResults(path)).rejects.toThrow(`${path}: is ${size} bytes, expected at most 16777216 (16 MiB)`);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s nested in the metrics map', async (key) => {
    const path = join(directory, 'proto.json');
    await writeFile(path, withMetricsText(`{"${key}": {"value": 1, "unit": "ms", "direction": "lower"}}`));
    await expect(readResults(path)).rejects.toThrow(
      `${path}: $.scenarios[0].metrics.${key} is a forbidden key ('__proto__', 'constructor' and 'prototype' are refused in every map)`,
    );
  });

  it('refuses a forbidden key at the top level and inside the params map', async () => {
    const path = join(directory, 'top.json');
    await writeFile(path, `{"__proto__": {"polluted": true}, ${JSON.stringify(valid()).slice(1)}`);
    await expect(readResults(path)).rejects.toThrow(`${path}: $.__proto__ is a forbidden key`);
    const doc = valid() as unknown as { scenarios: { params: unknown }[] };
    if (doc.scenarios[0]) doc.scenarios[0].params = { constructor: 'x' };
    await writeFile(path, JSON.stringify(doc));
    await expect(readResults(path)).rejects.toThrow(`${path}: $.scenarios[0].params.constructor is a forbidden key`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
