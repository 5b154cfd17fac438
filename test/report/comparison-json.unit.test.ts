import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { COMPARISON_SCHEMA, toComparisonJson } from '../../src/report/comparison-schema.js';
import { makeFailingComparison, makePassingComparison } from './report-fixtures.js';

const validate = new Ajv({ allowUnionTypes: true }).compile(COMPARISON_SCHEMA);

describe('toComparisonJson', () => {
  it('produces documents that match the comparison schema', () => {
    for (const comparison of [makePassingComparison(), makeFailingComparison()]) {
      const doc = toComparisonJson(comparison);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.schemaVersion).toBe(2);
      expect(doc.mode).toBe('history');
    }
  });

  it('writes non-finite numbers as null and rejects fields that do not belong to the kind', () => {
    const comparison = makePassingComparison();
    const first = comparison.verdicts[0];
    if (first?.kind !== 'pass' || !first.relative) throw new Error('fixture changed');
    const doc = toComparisonJson({ ...comparison, verdicts: [{ ...first, relative: { ...first.relative, raw: { ...first.relative.raw, z: Infinity } } }] });
    const verdict = doc.verdicts[0];
    expect(verdict?.kind === 'pass' && verdict.relative?.raw.z).toBeNull();
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, verdicts: [{ ...verdict, error: { name: 'x', message: 'y' } }] })).toBe(false);
  });
});
