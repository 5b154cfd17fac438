import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import { MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { renderConsole } from '../../src/report/console.js';
import { measureBytes } from '../../src/report/fit-markdown.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { COMPARISON_SCHEMA, toComparisonJson } from '../../src/report/comparison-schema.js';
import type { CostOperationResult, CostSection } from '../../src/results/cost-section.js';
import { validateResults } from '../../src/results/results-io.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { judgeCost, pickCostBaseline } from '../../src/verdict/cost-verdict.js';
import { makeCall, makePlan, makeRecord, makeStatement } from '../cost/cost-fixtures.js';
import { makeEnvironment, makeResults, makeScenario } from '../support/results-fixtures.js';
import { COMMENT } from '../report/golden-cases.js';

const byIndex = makeStatement('f-email', { normalized: 'select * from users where email = $1', plan: makePlan(['Limit', '  Index Scan using users_email_unique on users']) });
const bySeqScan = makeStatement('f-email', {
  normalized: 'select * from users where email = $1',
  plan: makePlan(['Limit', '  Seq Scan on users'], { rowsRemovedByFilter: 9_999 }),
});
const extra = makeStatement('f-keys', { normalized: 'select * from api_keys where user_id = $1' });

function measured(id: string, record = makeRecord([makeCall([byIndex])], id)): CostOperationResult {
  return { id, scenarioId: id, status: 'measured', record };
}

function section(operations: CostOperationResult[]): CostSection {
  return { planSource: { kind: 'auto_explain' }, serverVersionNum: 150020, seededTables: ['users', 'api_keys'], wallMs: 900, operations };
}

const EMAIL = 'bench.query.get_by_email';
const base = section([measured(EMAIL), measured('bench.crud.get_by_id')]);
const droppedIndex = section([measured(EMAIL, makeRecord([makeCall([bySeqScan])], EMAIL)), measured('bench.crud.get_by_id')]);
const thresholds = parseThresholds({}, 'thresholds.json');

describe('judgeCost', () => {
  it('fails a dropped index by default and lists only the operation that changed', () => {
    const cost = judgeCost({ head: droppedIndex, base: { section: base, against: { kind: 'base' } }, thresholds })!;
    expect(cost.unchanged).toBe(1);
    expect(cost.operations).toHaveLength(1);
    expect(cost.operations[0]).toMatchObject({
      operation: EMAIL,
      status: 'regressed',
      severity: 'fail',
      base: { statements: 1, rowsExamined: 1 },
      head: { statements: 1, rowsExamined: 10_000 },
    });
  });

  it("makes it a warning where thresholds.json sets the scenario's cost severity to warn", () => {
    const lenient = parseThresholds({ scenarios: { [EMAIL]: { cost: { severity: 'warn' } } } }, 'thresholds.json');
    const cost = judgeCost({ head: droppedIndex, base: { section: base, against: { kind: 'base' } }, thresholds: lenient })!;
    expect(cost.operations[0]).toMatchObject({ status: 'regressed', severity: 'warn' });
  });

  it('shows a changed fingerprint with equal counts as information, and fewer statements as an improvement', () => {
    const renamed = makeStatement('f-email-2', { normalized: 'select id, email from users where email = $1', plan: byIndex.plan! });
    const changed = judgeCost({ head: section([measured(EMAIL, makeRecord([makeCall([renamed])], EMAIL))]), base: { section: section([measured(EMAIL)]), against: { kind: 'base' } }, thresholds })!;
    expect(changed.operations[0]).toMatchObject({ status: 'changed', findings: [{ kind: 'fingerprints-changed', severity: 'info' }] });
    const fewer = judgeCost({
      head: section([measured(EMAIL)]),
      base: { section: section([measured(EMAIL, makeRecord([makeCall([byIndex, extra])], EMAIL))]), against: { kind: 'base' } },
      thresholds,
    })!;
    expect(fewer.operations[0]).toMatchObject({ status: 'improved' });
  });

  it('compares a history run with the newest baseline that has costs on the same PostgreSQL major', () => {
    const current = { ...makeResults({ environment: makeEnvironment({ pgMajor: 15 }) }), cost: droppedIndex };
    const older = { ...makeResults({ sha: 'b'.repeat(40), environment: makeEnvironment({ pgMajor: 15 }) }), cost: base };
    const otherMajor = { ...makeResults({ sha: 'c'.repeat(40), environment: makeEnvironment({ pgMajor: 18 }) }), cost: base };
    const withoutCost = makeResults({ sha: 'd'.repeat(40) });
    expect(pickCostBaseline(current, [withoutCost, otherMajor, older])).toEqual({ section: base, against: { kind: 'baseline', sha: 'b'.repeat(40) } });
    expect(pickCostBaseline(current, [withoutCost, otherMajor])).toEqual({ reason: 'no baseline run has costs counted on PostgreSQL 15' });
    const comparison = compareToBaseline({ current, history: [withoutCost, otherMajor, older], thresholds });
    expect(comparison.outcome).toMatchObject({ kind: 'fail', regressions: 1 });
    expect(new Ajv({ allowUnionTypes: true }).validate(COMPARISON_SCHEMA, toComparisonJson(comparison))).toBe(true);
  });

  it('skips a baseline whose tables were seeded to other row counts (another --users), naming the counts', () => {
    const rows = (users: number) => ({ users, api_keys: users / 5 });
    const current = { ...makeResults({ environment: makeEnvironment({ pgMajor: 15 }) }), cost: { ...droppedIndex, seededRows: rows(10_000) } };
    const smaller = { ...makeResults({ sha: 'e'.repeat(40), environment: makeEnvironment({ pgMajor: 15 }) }), cost: { ...base, seededRows: rows(2_000) } };
    const same = { ...makeResults({ sha: 'f'.repeat(40), environment: makeEnvironment({ pgMajor: 15 }) }), cost: { ...base, seededRows: rows(10_000) } };
    expect(pickCostBaseline(current, [smaller, same])).toEqual({ section: same.cost, against: { kind: 'baseline', sha: 'f'.repeat(40) } });
    expect(pickCostBaseline(current, [smaller])).toEqual({
      reason: 'no baseline run has costs counted on PostgreSQL 15 with the same seeded rows (users 10,000, api_keys 2,000)',
    });
  });
});

describe('the cost section in documents and reports', () => {
  it('keeps documents with and without a cost section valid', () => {
    const doc = { ...makeResults(), cost: droppedIndex };
    expect(validateResults(doc, 'results.json')).toBe(doc);
    const { cost: _cost, ...older } = doc;
    expect(validateResults(older, 'baseline.json')).toEqual(older);
    expect(() => validateResults({ ...doc, cost: { ...droppedIndex, operations: [{ id: 'x' }] } }, 'bad.json')).toThrow(/bad\.json/);
  });

  it('renders the changed operation before the timing rows, and one console line for it', () => {
    const current = { ...makeResults({ scenarios: [makeScenario(EMAIL, { avg_ms: 0.3 })] }), cost: droppedIndex };
    const comparison = compareToBaseline({ current, history: [{ ...makeResults({ scenarios: [makeScenario(EMAIL, { avg_ms: 0.3 })] }), cost: base }], thresholds });
    const body = renderMarkdown(comparison, COMMENT);
    expect(body).toContain(
      '- ❌ **regressed** bench.query.get\\_by\\_email: 1 → 1 statements; plan Index Scan using users\\_email\\_unique on users → Seq Scan on users; rows examined 1 → 10,000',
    );
    expect(body.indexOf('### Cost')).toBeLessThan(body.indexOf('### Scenarios'));
    const lines = renderConsole(comparison, { storeBaseline: '--save-baseline' }).split('\n').filter((l) => l.startsWith('cost '));
    expect(lines).toEqual([
      'cost regressed bench.query.get_by_email: 1 -> 1 statements; plan Index Scan using users_email_unique on users -> Seq Scan on users; rows examined 1 -> 10,000 (new sequential scan of users, index users_email_unique no longer used)',
    ]);
  });

  it('stays within the comment budget with hundreds of changed operations', () => {
    const many = (record: (id: string) => CostOperationResult) => section(Array.from({ length: 400 }, (_, i) => record(`bench.op_${i}`)));
    const head = many((id) => measured(id, makeRecord([makeCall([bySeqScan, extra, extra])], id)));
    const before = many((id) => measured(id));
    const comparison = compareToBaseline({ current: { ...makeResults(), cost: head }, history: [{ ...makeResults(), cost: before }], thresholds });
    const body = renderMarkdown(comparison, { ...COMMENT, maxBytes: MAX_COMMENT_BYTES });
    expect(measureBytes(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(body).toMatch(/_\d+ more changed operations in /);
  });
});
