import { describe, expect, it } from 'vitest';
import { buildCostRecord } from '../../src/cost/cost-record.js';
import { makeCall, makePlan, makeStatement } from './cost-fixtures.js';

const context = { operation: 'op', planSource: { kind: 'auto_explain' } as const, serverVersionNum: 180004 };

describe('buildCostRecord', () => {
  it('keeps identical calls once and says so', () => {
    const call = makeCall([makeStatement('a')]);
    const record = buildCostRecord(context, [call, { ...call }, { ...call }]);
    expect(record).toMatchObject({ version: 1, callsMeasured: 3, stable: true, buffersStable: true, pattern: [0, 0, 0] });
    expect(record.calls).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('keeps every distinct call, unaveraged, when calls differ', () => {
    const indexed = makeCall([makeStatement('a')]);
    const scanned = makeCall([makeStatement('a', { plan: makePlan(['Seq Scan on users']) })]);
    const record = buildCostRecord(context, [indexed, scanned, indexed]);
    expect(record).toMatchObject({ stable: false, buffersStable: false, pattern: [0, 1, 0] });
    expect(record.calls).toEqual([indexed, scanned]);
  });

  it('tells calls that differ only in buffers apart from calls that differ in counts', () => {
    const three = makeCall([makeStatement('a')]);
    const four = makeCall([makeStatement('a', { plan: makePlan(['Index Scan using users_pkey on users'], { sharedBuffers: 4 }) })]);
    const record = buildCostRecord(context, [three, four, four]);
    expect(record).toMatchObject({ stable: true, buffersStable: false, pattern: [0, 1, 1] });
  });

  it('refuses a record without measured calls', () => {
    expect(() => buildCostRecord(context, [])).toThrow("cost record of 'op': expected at least one measured call, got 0");
  });
});
