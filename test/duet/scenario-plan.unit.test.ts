import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/duet/protocol.js';
import { mergeCatalogs, planScenarios } from '../../src/duet/scenario-plan.js';
import type { Category } from '../../src/results/types.js';

const entry = (id: string, definitionHash = 'h1'): CatalogEntry => ({
  id,
  category: id.split('.')[0] as Category,
  params: {},
  definitionHash,
});

const HEAD = [entry('pooling.normal_load'), entry('pooling.monitoring'), entry('bench.crud.create'), entry('bench.crud.get_by_id', 'h2'), entry('bench.crud.brand_new')];
const BASE = [entry('pooling.normal_load'), entry('pooling.recycling'), entry('pooling.monitoring'), entry('bench.crud.create'), entry('bench.crud.get_by_id')];

describe('mergeCatalogs', () => {
  it("keeps the head's order and puts each base-only scenario after its predecessor in the base", () => {
    expect(mergeCatalogs(HEAD, BASE).map((e) => e.id)).toEqual([
      'pooling.normal_load',
      'pooling.recycling',
      'pooling.monitoring',
      'bench.crud.create',
      'bench.crud.get_by_id',
      'bench.crud.brand_new',
    ]);
    expect(mergeCatalogs([entry('bench.a')], [entry('pooling.x'), entry('bench.a')]).map((e) => e.id)).toEqual(['pooling.x', 'bench.a']);
  });
});

describe('planScenarios', () => {
  it('marks new, missing and changed scenarios and runs each on the arms that have it', () => {
    const plan = planScenarios(HEAD, BASE, {});
    expect(plan.map((p) => [p.id, p.definition, p.arms.join('+')])).toEqual([
      ['pooling.normal_load', 'same', 'head+base'],
      ['pooling.recycling', 'base-only', 'base'],
      ['pooling.monitoring', 'same', 'head+base'],
      ['bench.crud.create', 'same', 'head+base'],
      ['bench.crud.get_by_id', 'changed', 'head+base'],
      ['bench.crud.brand_new', 'head-only', 'head'],
    ]);
  });

  it('selects on the union with the single-arm rules, and refuses an unknown name', () => {
    expect(planScenarios(HEAD, BASE, { scenarios: ['bench.crud'], categories: [] }).map((p) => p.id)).toEqual([
      'bench.crud.create',
      'bench.crud.get_by_id',
      'bench.crud.brand_new',
    ]);
    expect(planScenarios(HEAD, BASE, { scenarios: ['pooling.recycling'] }).map((p) => p.id)).toEqual(['pooling.recycling']);
    expect(() => planScenarios(HEAD, BASE, { scenarios: ['bench.crud.nope'] })).toThrow(/'scenarios' has 'bench.crud.nope'/);
  });
});
