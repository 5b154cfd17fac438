/**
 * The worker's request loop without a database: hello first, bad lines and out-of-order requests
 * answered with errors (the worker keeps going), stop ends it.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashDefinition, normaliseFunctionText } from '../../src/duet/definition-hash.js';
import { parseReply } from '../../src/duet/protocol-schema.js';
import type { WorkerReply } from '../../src/duet/protocol.js';
import { readTestFault, roundSeed, runWorker, scaleSuiteOptions } from '../../src/duet/worker.js';
import { OWN_SUBJECT } from '../../src/run/own-subject.js';
import { DEFAULT_SUITE_OPTIONS, type ScenarioDefinition } from '../../src/suites/scenario.js';

const SCENARIO: ScenarioDefinition = {
  id: 'bench.crud.get_by_id',
  category: 'bench',
  params: { size: 10 },
  async run() {
    return { checks: [], metrics: {} };
  },
};

async function converse(requests: string[]): Promise<{ replies: WorkerReply[]; code: number }> {
  const input = new PassThrough();
  const sent: string[] = [];
  const done = runWorker({ input, send: (line) => sent.push(line), log: () => undefined }, { subject: { ...OWN_SUBJECT, scenarios: [SCENARIO] }, toolVersion: '9.9.9' });
  for (const request of requests) input.write(`${request}\n`);
  input.end();
  const code = await done;
  const replies = sent.map((line, index) => parseReply(line.trimEnd(), { stream: 'the test worker', line: index + 1 }));
  return { replies, code };
}

describe('runWorker', () => {
  it('says hello with its catalog, answers bad lines and early runs with errors, and stops', async () => {
    const { replies, code } = await converse([
      'not json',
      '',
      JSON.stringify({ type: 'run', id: SCENARIO.id, round: 0, rounds: 2, share: 0.5 }),
      JSON.stringify({ type: 'stop' }),
      JSON.stringify({ type: 'run', id: 'never.read', round: 0, rounds: 1, share: 1 }),
    ]);
    expect(code).toBe(0);
    expect(replies).toEqual([
      {
        type: 'hello',
        protocol: 1,
        toolVersion: '9.9.9',
        scenarios: [{ id: SCENARIO.id, category: 'bench', params: { size: 10 }, definitionHash: hashDefinition(SCENARIO) }],
      },
      { type: 'error', message: `line 1 of the worker's input is not JSON: "not json"` },
      { type: 'error', message: `'run' of 'bench.crud.get_by_id' before 'start': send 'start' first` },
      { type: 'stopped' },
    ]);
  });

  it('exits when its input closes without a stop', async () => {
    const { replies, code } = await converse([]);
    expect(code).toBe(0);
    expect(replies.map((r) => r.type)).toEqual(['hello']);
  });
});

describe('a round of the usual work', () => {
  it('takes its share of the scale and of the bench time budget, with floors, as timed blocks with side measurements in the first round', () => {
    const suite = { ...DEFAULT_SUITE_OPTIONS, scale: 1, benchmarkMaxSeconds: 0.4 };
    const round = { benchRunner: 'block', sideMeasurements: false };
    expect(scaleSuiteOptions(suite, 0.25, 3)).toEqual({ ...suite, ...round, scale: 0.25, benchmarkMaxSeconds: 0.1 });
    expect(scaleSuiteOptions(suite, 1 / 32, 0)).toEqual({ ...suite, ...round, sideMeasurements: true, scale: 1 / 32, benchmarkMaxSeconds: 0.0125 });
    expect(scaleSuiteOptions({ ...suite, scale: 0.02, benchmarkMaxSeconds: 0.08 }, 0.05, 1)).toEqual({ ...suite, ...round, scale: 0.01, benchmarkMaxSeconds: 0.005 });
  });

  it('seeds each round of each scenario alike on both arms, and differently across rounds', () => {
    expect(roundSeed(42, 'bench.crud.get_by_id', 1)).toBe(roundSeed(42, 'bench.crud.get_by_id', 1));
    expect(roundSeed(42, 'bench.crud.get_by_id', 1)).not.toBe(roundSeed(42, 'bench.crud.get_by_id', 2));
    expect(roundSeed(42, 'bench.crud.get_by_id', 1)).not.toBe(roundSeed(42, 'bench.crud.update', 1));
  });

  it('reads the test fault only in its two documented forms', () => {
    expect(readTestFault({ PERF_GATE_WORKER_TEST_FAULT: 'crash:pooling.monitoring' })).toEqual({ kind: 'crash', scenarioId: 'pooling.monitoring' });
    expect(readTestFault({ PERF_GATE_WORKER_TEST_FAULT: 'hang:bench.crud.get_by_id' })).toEqual({ kind: 'hang', scenarioId: 'bench.crud.get_by_id' });
    expect(readTestFault({ PERF_GATE_WORKER_TEST_FAULT: 'explode:x' })).toBeUndefined();
    expect(readTestFault({})).toBeUndefined();
  });
});

describe('hashDefinition', () => {
  const define = (run: ScenarioDefinition['run'], params: ScenarioDefinition['params'] = {}): ScenarioDefinition => ({
    id: 'bench.crud.get_by_id',
    category: 'bench',
    params,
    run,
  });

  it('ignores the numbers a bundler appends to renamed identifiers, and whitespace', () => {
    expect(normaliseFunctionText('async run(ctx) {\n  return check2(ctx,   10);\n}')).toBe('async run(ctx) { return check(ctx, 10); }');
    const a = { ...define(async () => ({ checks: [], metrics: {} })), run: { toString: () => 'async run(ctx) { return check(ctx, 10); }' } };
    const b = { ...a, run: { toString: () => 'async run(ctx) {\n    return check2(ctx, 10);\n  }' } };
    expect(hashDefinition(a as unknown as ScenarioDefinition)).toBe(hashDefinition(b as unknown as ScenarioDefinition));
    expect(hashDefinition(a as unknown as ScenarioDefinition)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with the run body, the parameters, the id and the category', () => {
    const base = define(async () => ({ checks: [], metrics: {} }), { size: 10 });
    const hash = hashDefinition(base);
    expect(hashDefinition(define(async () => ({ checks: [], metrics: { x: { value: 1, unit: 'ms', direction: 'lower' } } }), { size: 10 }))).not.toBe(hash);
    expect(hashDefinition({ ...base, params: { size: 25 } })).not.toBe(hash);
    expect(hashDefinition({ ...base, id: 'bench.crud.update' })).not.toBe(hash);
    expect(hashDefinition({ ...base, category: 'pooling' })).not.toBe(hash);
    expect(hashDefinition({ ...base, params: { size: 10 } })).toBe(hash);
  });
});
