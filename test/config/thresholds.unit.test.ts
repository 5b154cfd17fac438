import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THRESHOLDS_SCHEMA } from '../../src/config/thresholds-schema.js';
import { loadThresholds, parseThresholds } from '../../src/config/thresholds.js';
import { resolveRule } from '../../src/verdict/thresholds.js';

const root = new URL('../../', import.meta.url);
let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'perf-gate-thresholds-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('the default thresholds.json', () => {
  it('holds every absolute target of docs/scenarios.md', async () => {
    const t = await loadThresholds(new URL('thresholds.json', root).pathname);
    const max = (id: string, metric: string) => resolveRule(t, id, metric).max;
    expect([max('pooling.normal_load', 'error_rate'), max('pooling.normal_load', 'avg_ms'), max('pooling.normal_load', 'p95_ms')]).toEqual([0.01, 100, 200]);
    expect([max('pooling.high_load', 'error_rate'), max('pooling.high_load', 'avg_ms')]).toEqual([0.05, 500]);
    expect([max('bench.crud.create', 'avg_ms'), max('bench.crud.get_by_id', 'avg_ms')]).toEqual([50, 10]);
    for (const id of ['bench.crud.update', 'bench.crud.soft_delete', 'bench.crud.restore', 'bench.query.get_by_username', 'bench.query.get_by_email']) {
      expect(max(id, 'avg_ms')).toBe(20);
    }
    expect(max('sessions.memory_stability', 'memory_growth_mb')).toBe(50);
    expect(max('sessions.heap_tracking', 'peak_heap_mb')).toBe(100);
    expect(t.configuration).toEqual({
      pool: { size: 10, maxOverflow: 5, timeoutSeconds: 30 },
      breaker: { failureThreshold: 5, recoveryTimeoutSeconds: 30 },
      retry: { maxRetries: 3, delaySeconds: 0.1, backoff: 2 },
      scenarioTimeoutSeconds: 300,
    });
    expect([t.history, t.confirmRerun]).toEqual([10, true]);
    expect(Object.isFrozen(t) && Object.isFrozen(t.scenarios)).toBe(true);
  });

  it('references thresholds.schema.json, which equals the schema in code', async () => {
    const file = JSON.parse(await readFile(new URL('thresholds.json', root), 'utf8')) as { $schema: string };
    expect(file.$schema).toBe('./thresholds.schema.json');
    const schema = JSON.parse(await readFile(new URL('thresholds.schema.json', root), 'utf8')) as unknown;
    expect(schema).toEqual(JSON.parse(JSON.stringify(THRESHOLDS_SCHEMA)));
  });
});

describe('parseThresholds', () => {
  it('rejects unknown keys, scenario ids and metric names, naming the path', () => {
    expect(() => parseThresholds({ histroy: 5 }, 't.json')).toThrow("t.json: $ has unknown key 'histroy' (value 5)");
    expect(() => parseThresholds({ scenarios: { 'bench.crud.get_by_idd': {} } }, 't.json')).toThrow(
      't.json: $.scenarios["bench.crud.get_by_idd"] is not a known scenario id',
    );
    expect(() => parseThresholds({ scenarios: { bench: { avg_msec: { max: 1 } } } }, 't.json')).toThrow(
      't.json: $.scenarios["bench"]["avg_msec"] is not a known metric',
    );
    expect(() => parseThresholds({ scenarios: { 'bench.nothing:*': {} } }, 't.json')).toThrow('matches no scenario id');
    expect(() => parseThresholds({ scenarios: { bench: { avg_ms: { maximum: 1 } } } }, 't.json')).toThrow(
      "t.json: $.scenarios.bench.avg_ms has unknown key 'maximum' (value 1)",
    );
  });

  it('rejects negative, non-finite and inconsistent limits', () => {
    expect(() => parseThresholds({ scenarios: { bench: { avg_ms: { max: -1 } } } }, 't.json')).toThrow(
      't.json: $.scenarios.bench.avg_ms.max must be >= 0, got -1',
    );
    expect(() => parseThresholds(JSON.parse('{"metrics": {"avg_ms": {"max": 1e999}}}'), 't.json')).toThrow(
      't.json: $.metrics.avg_ms.max must be number, got Infinity',
    );
    expect(() => parseThresholds({ metrics: { avg_ms: { max: Number.NaN } } }, 't.json')).toThrow('must be number, got NaN');
    expect(() => parseThresholds({ scenarios: { bench: { avg_ms: { min: 5, max: 1 } } } }, 't.json')).toThrow('has min 5 above max 1');
  });

  it('resolves rules from least to most specific: defaults, metric, category, prefix, id', () => {
    const t = parseThresholds(
      {
        defaults: { severity: 'warn' },
        metrics: { avg_ms: { tolerancePercent: 30 } },
        scenarios: {
          bench: { avg_ms: { tolerancePercent: 40, max: 100 } },
          'bench.pagination:*': { avg_ms: { max: 50 } },
          'bench.pagination:100': { avg_ms: { severity: 'fail', direction: 'higher' }, total: { compare: true } },
        },
      },
      't.json',
    );
    expect(resolveRule(t, 'bench.pagination:100', 'avg_ms')).toEqual({
      compare: true, tolerancePercent: 40, absoluteFloor: 0.05, duetTolerancePercent: 5, duetAbsoluteFloor: 0.01, severity: 'fail', regressionSeverity: 'fail', duetRegressionSeverity: 'fail', direction: 'higher', max: 50, min: undefined,
    });
    expect(resolveRule(t, 'bench.crud.create', 'avg_ms')).toMatchObject({ tolerancePercent: 40, severity: 'warn', regressionSeverity: 'warn', max: 100 });
    expect(resolveRule(t, 'pooling.normal_load', 'avg_ms')).toMatchObject({ tolerancePercent: 30, max: undefined });
    expect(resolveRule(t, 'bench.pagination:100', 'total').compare).toBe(true);
    expect(resolveRule(t, 'bench.pagination:10', 'total').compare).toBe(false);
    expect(resolveRule(t, 'bench.crud.create', 'custom_metric', 'higher')).toMatchObject({ compare: false, direction: 'higher' });
  });

  it('keeps the duet margins apart from the history ones, each resolved through the same layers', () => {
    const t = parseThresholds(
      {
        defaults: { duetTolerancePercent: 8 },
        metrics: { avg_ms: { tolerancePercent: 30 } },
        scenarios: { bench: { avg_ms: { duetTolerancePercent: 3, duetAbsoluteFloor: 0.002 } } },
      },
      't.json',
    );
    expect(resolveRule(t, 'bench.crud.create', 'avg_ms')).toMatchObject({ tolerancePercent: 30, absoluteFloor: 0.05, duetTolerancePercent: 3, duetAbsoluteFloor: 0.002 });
    expect(resolveRule(t, 'pooling.normal_load', 'avg_ms')).toMatchObject({ tolerancePercent: 30, duetTolerancePercent: 8, duetAbsoluteFloor: 0.01 });
    const plain = parseThresholds({}, 't.json');
    expect(resolveRule(plain, 'bench.crud.create', 'avg_ms')).toMatchObject({ tolerancePercent: 15, absoluteFloor: 0.05, duetTolerancePercent: 5, duetAbsoluteFloor: 0.01 });
    expect(resolveRule(plain, 'bench.crud.create', 'p95_ms')).toMatchObject({ duetTolerancePercent: 10 });
    expect(resolveRule(plain, 'sessions.memory_stability', 'memory_growth_mb')).toMatchObject({ duetTolerancePercent: 25, duetAbsoluteFloor: 5 });
    expect(() => parseThresholds({ metrics: { avg_ms: { duetTolerancePercent: -1 } } }, 't.json')).toThrow(/duetTolerancePercent/);
  });

  it('lets relative regressions of the average fail and of the other views warn, unless a severity is set', () => {
    const plain = parseThresholds({ metrics: { p95_ms: { max: 200 } } }, 't.json');
    expect(resolveRule(plain, 'bench.crud.create', 'avg_ms')).toMatchObject({ severity: 'fail', regressionSeverity: 'fail' });
    expect(resolveRule(plain, 'bench.crud.create', 'error_rate')).toMatchObject({ regressionSeverity: 'fail' });
    for (const metric of ['p50_ms', 'p95_ms', 'p99_ms', 'ops_per_sec', 'per_item_ms']) {
      expect(resolveRule(plain, 'bench.crud.create', metric), metric).toMatchObject({ severity: 'fail', regressionSeverity: 'warn' });
    }
    const strict = parseThresholds({ metrics: { p95_ms: { severity: 'fail' } } }, 't.json');
    expect(resolveRule(strict, 'bench.crud.create', 'p95_ms').regressionSeverity).toBe('fail');
    // CPU per call is compared and warns, unless thresholds.json makes it fail.
    expect(resolveRule(plain, 'bench.crud.get_by_id', 'cpu_per_call_ms')).toMatchObject({ compare: true, regressionSeverity: 'warn', duetRegressionSeverity: 'fail', duetTolerancePercent: 5 });
    const failing = parseThresholds({ scenarios: { 'bench.crud.get_by_id': { cpu_per_call_ms: { severity: 'fail' } } } }, 'strict.json');
    expect(resolveRule(failing, 'bench.crud.get_by_id', 'cpu_per_call_ms')).toMatchObject({ regressionSeverity: 'fail', duetRegressionSeverity: 'fail' });
  });

  it('caps the file size and names the file when it is not JSON', async () => {
    const big = join(directory, 'big.json');
    await writeFile(big, `{"history": 10${' '.repeat(300 * 1024)}}`);
    await expect(loadThresholds(big)).rejects.toThrow(`${big}: is 307215 bytes, expected at most 262144 (256 KiB)`);
    const text = join(directory, 'text.json');
    await writeFile(text, '{,}');
    await expect(loadThresholds(text)).rejects.toThrow(`${text}: is not valid JSON`);
  });

  it('refuses a forbidden key in any map before the schema is consulted', async () => {
    const file = join(directory, 'proto.json');
    await writeFile(file, '{"scenarios": {"bench.crud.create": {"avg_ms": {"max": 50}}, "constructor": {}}}');
    await expect(loadThresholds(file)).rejects.toThrow(`${file}: $.scenarios.constructor is a forbidden key`);
  });
});
