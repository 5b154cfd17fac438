import { describe, expect, it } from 'vitest';
import { describeActionReproduce, listFlaggedScenarios } from '../../src/publish/report-words.js';
import { makeFailingComparison, makePassingComparison } from '../report/report-fixtures.js';

describe("the action's reproduce words", () => {
  it('name the flagged scenarios, each once, leaving out an id the catalog could not have made', () => {
    const comparison = makeFailingComparison();
    expect(comparison.verdicts.some((v) => v.scenarioId.includes('<img'))).toBe(true);
    expect(listFlaggedScenarios(comparison)).toEqual(['bench.crud.get_by_id', 'pooling.normal_load', 'bench.crud.update', 'bench.pagination:100']);
    expect(describeActionReproduce(comparison)).toContain(
      'npm ci && npm run perf-gate -- run --scenarios bench.crud.get_by_id,pooling.normal_load,bench.crud.update,bench.pagination:100',
    );
  });

  it('name the action and the CLI, never the CLI flag that stores a baseline', () => {
    const words = describeActionReproduce(makePassingComparison()).join('\n');
    expect(words).toContain('Re-run the workflow job that ran the perf-gate action');
    expect(words).toContain('npm ci && npm run perf-gate -- run\n');
    expect(words).not.toContain('--save-baseline');
  });

  it('give a duet run the same duet against its base commit, and only a hex sha from the document', () => {
    const passing = makePassingComparison();
    const duet = (baseSha: string | null) => ({ ...passing, mode: 'duet' as const, duet: { ...({} as NonNullable<typeof passing.duet>), baseSha } });
    expect(describeActionReproduce(duet('b'.repeat(40))).join('\n')).toContain(`npm ci && npm run perf-gate -- run --against ${'b'.repeat(40)}\n`);
    expect(describeActionReproduce(duet('main; rm -rf /')).join('\n')).toContain('npm ci && npm run perf-gate -- run\n');
    expect(describeActionReproduce(duet(null)).join('\n')).toContain('npm ci && npm run perf-gate -- run\n');
  });
});
