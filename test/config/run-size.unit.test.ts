import { describe, expect, it } from 'vitest';
import { readRunSize } from '../../src/config/run-size.js';

describe('readRunSize', () => {
  it('reads PERF_GATE_USERS and PERF_GATE_SCALE with defaults', () => {
    expect(readRunSize({})).toMatchObject({ users: 10_000, scale: 1 });
    expect(readRunSize({ PERF_GATE_USERS: '300', PERF_GATE_SCALE: '0.1' })).toMatchObject({ users: 300, scale: 0.1 });
  });

  it('names the variable, the value and the expectation', () => {
    expect(() => readRunSize({ PERF_GATE_USERS: '99' })).toThrow("PERF_GATE_USERS must be a whole number from 100 to 10000000, got '99'");
    expect(() => readRunSize({ PERF_GATE_USERS: '1e3.5' })).toThrow("got '1e3.5'");
    expect(() => readRunSize({ PERF_GATE_SCALE: '0' })).toThrow("PERF_GATE_SCALE must be a number from 0.01 to 10, got '0'");
  });
});
