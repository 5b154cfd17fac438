import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import type { CostRecord } from '../../src/cost/cost-record.js';
import { applyTestRegression } from '../../src/duet/worker-test-regression.js';
import { renderCostConsole, renderCostSection } from '../../src/report/cost-report.js';
import type { CostSection } from '../../src/results/cost-section.js';
import { runCostPass } from '../../src/run/cost-pass.js';
import { OWN_SUBJECT } from '../../src/run/own-subject.js';
import type { SuiteSubject } from '../../src/run/suite-subject.js';
import { ALL_SCENARIO_IDS } from '../../src/suites/catalog.js';
import type { SeedData } from '../../src/suites/seed.js';
import { growthFailedChecks, judgeCost } from '../../src/verdict/cost-verdict.js';
import { openTestDataLayer, type TestDataLayer } from '../support/data-layer.js';

const USERS = 2000;
const thresholds = parseThresholds({}, 'test thresholds');
const all = new Set(ALL_SCENARIO_IDS);

interface Seeded {
  layer: TestDataLayer;
  seed: SeedData;
}

async function openSeeded(): Promise<Seeded> {
  const layer = await openTestDataLayer();
  const seed = await OWN_SUBJECT.prepare(layer.db, { seed: 42, rows: USERS }, () => undefined);
  return { layer, seed };
}

function pass(on: Seeded, selected: ReadonlySet<string>, more: Partial<Parameters<typeof runCostPass>[0]> = {}): Promise<CostSection | undefined> {
  return runCostPass({ subject: OWN_SUBJECT, db: on.layer.db, seed: on.seed, selected, log: () => undefined, ...more });
}

/** A record's JSON without its buffer counts (they are reported, never judged). */
function withoutBuffers(section: CostSection): unknown {
  const records = section.operations.map((op) => (op.status === 'measured' ? stripBuffers(op.record) : op));
  return { ...section, wallMs: 0, operations: records };
}

function stripBuffers(record: CostRecord): unknown {
  const { buffersStable: _stable, pattern: _pattern, calls, ...rest } = record;
  const distinct = [...new Set(calls.map((call) => JSON.stringify(call, (key, value: unknown) => (key === 'sharedBuffers' ? undefined : value))))];
  return { ...rest, calls: distinct };
}

let first: Seeded;
let second: Seeded;
let firstSection: CostSection;
let secondSection: CostSection;

beforeAll(async () => {
  [first, second] = await Promise.all([openSeeded(), openSeeded()]);
  firstSection = (await pass(first, all))!;
  secondSection = (await pass(second, all))!;
}, 60_000);
afterAll(async () => {
  await first?.layer.cleanup();
  await second?.layer.cleanup();
});

describe('the cost pass on perf-gate\'s own data layer', () => {
  it('counts every operation on one connection with executed plans, reads before writes', () => {
    expect(firstSection.planSource).toEqual({ kind: 'auto_explain' });
    expect(firstSection.seededTables).toEqual(expect.arrayContaining(['api_keys', 'audit_logs', 'users']));
    // Exact counts of the seeded tables (a history run compares costs only with a baseline seeded alike).
    expect(firstSection.seededRows).toMatchObject({ users: USERS, audit_logs: USERS });
    expect(secondSection.seededRows).toEqual(firstSection.seededRows);
    // Every operation of the perf-file specs (suites/bench, then pooling and sessions): reads
    // first, then writes; an operation two templates share (the getById of the concurrent read
    // and the pooling loads, the createUser of several) is counted once, under its first.
    const statements = Object.fromEntries(
      firstSection.operations.map((op) => [op.id, op.status === 'measured' ? [op.record.stable, op.record.calls[0]!.statements, op.record.calls[0]!.connections] : op.error]),
    );
    expect(firstSection.operations.map((op) => op.id)).toEqual(Object.keys(statements));
    expect(statements).toEqual({
      'bench.crud.get_by_id': [true, 1, 1],
      'bench.query.get_by_username': [true, 1, 1],
      'bench.query.get_by_email': [true, 1, 1],
      'bench.query.filtered': [true, 1, 1],
      'bench.query.aggregate': [true, 1, 1],
      'bench.pagination:10': [true, 2, 1],
      'bench.pagination:25': [true, 2, 1],
      'bench.pagination:50': [true, 2, 1],
      'bench.pagination:100': [true, 2, 1],
      'bench.complex.join': [true, 1, 1],
      'bench.complex.aggregate': [true, 2, 1],
      'sessions.normal_cleanup': [true, 1, 1],
      'bench.crud.create': [true, 4, 1],
      'bench.crud.update': [true, 5, 1],
      'bench.crud.soft_delete': [true, 5, 1],
      'bench.crud.restore': [true, 5, 1],
      'bench.bulk.bulk:10': [true, 4, 1],
      'bench.bulk.bulk:50': [true, 4, 1],
      'bench.bulk.bulk:100': [true, 4, 1],
      'bench.complex.multi_table': [true, 8, 1],
      'bench.transaction:1': [true, 4, 1],
    });
  });

  it('gives identical records for an unchanged tree across two runs (buffers apart)', () => {
    expect(withoutBuffers(secondSection)).toEqual(withoutBuffers(firstSection));
    const cost = judgeCost({ head: secondSection, base: { section: firstSection, against: { kind: 'base' } }, thresholds })!;
    expect(cost.operations.filter((v) => v.status !== 'buffers')).toEqual([]);
    expect(cost.growth).toEqual([]);
    expect(renderCostSection(cost, 'comparison.json')).toEqual([]);
  });

  it('catches an added statement (one more round trip in get-by-id)', async () => {
    const head = (await pass(second, new Set(['bench.crud.get_by_id']), {
      wrap: (db, id) => applyTestRegression(db, { kind: 'extra-round-trip', scenarioId: 'bench.crud.get_by_id' }, id),
    }))!;
    const cost = judgeCost({ head, base: { section: firstSection, against: { kind: 'base' } }, thresholds })!;
    const [verdict] = cost.operations.filter((v) => v.operation === 'bench.crud.get_by_id');
    expect(verdict).toMatchObject({ status: 'regressed', severity: 'fail', base: { statements: 1 }, head: { statements: 2 } });
    expect(verdict!.findings[0]).toMatchObject({ kind: 'more-statements', added: [{ normalized: 'select $1', times: 1 }] });
    expect(renderCostConsole(cost)[0]).toMatch(/^cost regressed bench\.crud\.get_by_id: 1 -> 2 statements; round trips 1 -> 2; rows returned 1 -> 2; /);
  });

  it('catches a dropped index: index scan of users_email_unique becomes a sequential scan', async () => {
    await second.layer.db.withSession((s) => s.em.execute('alter table users drop constraint users_email_unique'));
    const head = (await pass(second, new Set(['bench.query.get_by_email'])))!;
    const cost = judgeCost({ head, base: { section: firstSection, against: { kind: 'base' } }, thresholds })!;
    const verdict = cost.operations.find((v) => v.operation === 'bench.query.get_by_email')!;
    expect(verdict.status).toBe('regressed');
    expect(verdict.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['new-seq-scan', 'index-unused', 'plan-changed']));
    const section = renderCostSection(cost, 'comparison.json').join('\n');
    // LIMIT 1 stops the sequential scan at the row: rows examined are those before it in the table.
    expect(section).toMatch(
      /bench\.query\.get\\_by\\_email: 1 → 1 statements; plan Index Scan using users\\_email\\_unique on users → Seq Scan on users; rows examined 1 → [\d,]+;/,
    );
    // Only what changed is listed: get-by-email, and the operations that one side only has are left out.
    expect(cost.operations.filter((v) => v.status === 'regressed').map((v) => v.operation)).toEqual(['bench.query.get_by_email']);
  });

  it('catches an N+1 by the size check alone, as a failed check of the larger size', async () => {
    const nPlusOne: SuiteSubject = {
      ...OWN_SUBJECT,
      costOperations: () =>
        [10, 25].map((size) => ({
          id: `bench.pagination:${size}`,
          scenarioId: `bench.pagination:${size}`,
          size: { family: 'bench.pagination', size },
          writes: false,
          call: (db) =>
            db.read(async (s) => {
              const page = await s.users.paginate(1, size);
              for (const user of page.items) await s.users.getById(user.id);
            }),
        })),
    };
    const head = (await runCostPass({ subject: nPlusOne, db: first.layer.db, seed: first.seed, selected: all, log: () => undefined }))!;
    const cost = judgeCost({ head, base: { reason: 'no baseline' }, thresholds })!;
    expect(head.operations.map((op) => op.status)).toEqual(['measured', 'measured']);
    expect(cost.growth).toHaveLength(1);
    expect(cost.growth[0]).toMatchObject({ family: 'bench.pagination', scenarioId: 'bench.pagination:25', severity: 'fail', finding: { statements: [12, 27] } });
    expect(growthFailedChecks(cost)).toEqual([
      {
        scenarioId: 'bench.pagination:25',
        severity: 'fail',
        check: {
          name: 'statements_constant_across_sizes',
          passed: false,
          measured: '12 statements per call at size 10, 27 at size 25',
          expected: 'as many statements per call at every size',
        },
      },
    ]);
    expect(renderCostSection(cost, 'comparison.json').join('\n')).toContain('+ 10x -> 25x select * from users where id = $1 and deleted_at is null limit $2');
  });
});
