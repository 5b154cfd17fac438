import { describe, expect, it } from 'vitest';
import { describeCliReproduce } from '../../src/cli/cli-words.js';
import { readRunFlags } from '../../src/cli/run-flags.js';

describe("the CLI's reproduce words", () => {
  it("repeat the run's selection, size and seed", () => {
    const flags = readRunFlags(['--scenarios', 'bench.crud', '--users', '300', '--scale', '0.1', '--seed', '7', '--thresholds', 'my thresholds.json']);
    expect(describeCliReproduce(flags)).toEqual([
      '```sh',
      "npm run perf-gate -- run --scenarios bench.crud --thresholds 'my thresholds.json' --users 300 --scale 0.1 --seed 7",
      '```',
    ]);
  });

  it('leave out what is the default, and give the bare command without a run', () => {
    expect(describeCliReproduce(readRunFlags(['--seed', '1']))[1]).toBe('npm run perf-gate -- run --seed 1');
    expect(describeCliReproduce()[1]).toBe('npm run perf-gate -- run');
  });
});
