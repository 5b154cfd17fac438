/**
 * The cost pass: every operation of the run counted exactly (statements, round trips, rows, plans;
 * cost/measure-operation.ts) on a data layer of its own with a pool of one connection, after the
 * seed and before anything is timed, so every run and both arms of a duet count on the same data.
 *
 * Reads are measured first, on the seeded data exactly; writes after them, in a fixed order with
 * inputs fixed by their call index, so what each write sees is the same in every run. Writes are
 * measured on the run's own database rather than on a clone of it per measurement: CREATE DATABASE
 * ... TEMPLATE needs the template to have no other connection, and from the seed on the run's
 * data layer (and a perf file's `setup`, which may hold the ORM it was given) are connected to it.
 */
import { toError } from '../common/error-message.js';
import { prepareCaptureSession, type CaptureSession, type SqlRunner } from '../cost/capture-session.js';
import type { ExplainRunner } from '../cost/explain-fallback.js';
import { measureOperationCost } from '../cost/measure-operation.js';
import type { PgClientClass } from '../cost/pg-client-shape.js';
import { loadSqlParser, type SqlParser } from '../cost/sql-parser.js';
import { installStatementCapture, type StatementCapture } from '../cost/statement-capture.js';
import { overrideDbSettings } from '../db/settings.js';
import type { CostOperationResult, CostSection } from '../results/cost-section.js';
import type { CostOperation } from '../suites/cost-operation.js';
import { toErrorInfo } from '../suites/harness/error-info.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
import type { SuiteSubject } from './suite-subject.js';

/** Measured calls per operation, after one warm-up call. */
export const COST_CALLS = 3;
export const COST_WARM_UP_CALLS = 1;

/** What a cost pass needs. */
export interface CostPassInput {
  subject: SuiteSubject;
  /** The run's data layer on the prepared database: its settings (URL included) are the pass's, with a pool of one. */
  db: DataLayerUnderTest;
  /** What the subject's `prepare` returned. */
  seed: SeedData;
  /** Scenario ids selected for the run: only their operations are counted. */
  selected: ReadonlySet<string>;
  log: (line: string) => void;
  /** Changes the data layer an operation sees (the duet's test regression hook). */
  wrap?: (db: DataLayerUnderTest, scenarioId: string) => DataLayerUnderTest;
}

/** Reads first, then writes, each group in the subject's order. */
function orderOperations(operations: readonly CostOperation[], selected: ReadonlySet<string>): CostOperation[] {
  const chosen = operations.filter((op) => selected.has(op.scenarioId));
  return [...chosen.filter((op) => !op.writes), ...chosen.filter((op) => op.writes)];
}

/** Runs one statement on the pass's connection, outside any transaction. */
const runnerOf = (db: DataLayerUnderTest): SqlRunner => (sql) =>
  db.withSession(async (s) => (await s.em.execute(sql)) as unknown as Record<string, unknown>[]);

/** Tables with rows after the seed (statistics are fresh: the subjects VACUUM ANALYZE after seeding). */
async function readSeededTables(run: SqlRunner): Promise<string[]> {
  const rows = await run(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and c.reltuples > 0 and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
      order by 1`,
  );
  return rows.map((row) => String(row.name));
}

/**
 * The exact row count of each seeded table before the pass: plans and rows examined depend on
 * them, so a history run compares costs only with a baseline seeded to the same counts.
 */
async function countSeededRows(run: SqlRunner, tables: readonly string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const [row] = await run(`select ${tables.map((t, i) => `(select count(*) from ${quote(t)}) as c${i}`).join(', ')}`);
  return Object.fromEntries(tables.map((t, i) => [t, Number(row?.[`c${i}`] ?? 0)]));
}

/**
 * EXPLAIN for the fallback, on a connection of its own made from the same Client class: the
 * statements' texts go as sent (an ORM's EntityManager would rewrite `?` placeholders).
 */
async function openExplainRunner(Client: PgClientClass, url: string): Promise<{ explain: ExplainRunner; close: () => Promise<void> }> {
  type RawClient = { connect(): Promise<void>; end(): Promise<void>; query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
  const client = new (Client as unknown as new (config: object) => RawClient)({ connectionString: url });
  await client.connect();
  return {
    explain: async (sql, values) => (await client.query(sql, values ? [...values] : undefined)).rows,
    close: () => client.end(),
  };
}

interface PassTools {
  capture: StatementCapture;
  parser: SqlParser;
  session: CaptureSession;
  explain?: ExplainRunner;
}

async function measureOne(op: CostOperation, db: DataLayerUnderTest, tools: PassTools): Promise<CostOperationResult> {
  const base = { id: op.id, scenarioId: op.scenarioId, ...(op.size ? { size: op.size } : {}) };
  let index = 0;
  try {
    await op.setUp?.(db);
    const record = await measureOperationCost({
      operation: op.id,
      call: () => op.call(db, index++),
      capture: tools.capture,
      parser: tools.parser,
      session: tools.session,
      calls: COST_CALLS,
      warmUpCalls: COST_WARM_UP_CALLS,
      ...(tools.explain ? { explain: tools.explain } : {}),
    });
    return { ...base, status: 'measured', record };
  } catch (error) {
    return { ...base, status: 'errored', error: toErrorInfo(error) };
  }
}

/**
 * Counts the selected operations; undefined when none is selected. Throws when the pass cannot be
 * set up at all (no pg Client found, the connection refused); an operation that throws is recorded
 * as errored and the pass goes on.
 */
export async function runCostPass(input: CostPassInput): Promise<CostSection | undefined> {
  const operations = orderOperations(input.subject.costOperations(input.seed), input.selected);
  if (operations.length === 0) return undefined;
  const started = performance.now();
  // One connection, never closed while the pass runs (its session holds the settings and
  // auto_explain: an idle timeout of an hour, as tarn refuses 0), no retries (a retried call would count twice), a short acquire timeout (an
  // operation that needs two connections at once fails instead of waiting out the run's).
  const settings = overrideDbSettings(input.db.settings, {
    pool: { size: 1, maxOverflow: 0, idleTimeoutSeconds: 3600, timeoutSeconds: 10 },
    retry: { maxRetries: 0 },
  });
  const db = await input.subject.openDataLayer(settings);
  let capture: StatementCapture | undefined;
  let explainer: Awaited<ReturnType<typeof openExplainRunner>> | undefined;
  try {
    const Client = await input.subject.pgClientOf(db);
    const run = runnerOf(db);
    const session = await prepareCaptureSession(run);
    const seededTables = await readSeededTables(run);
    const seededRows = await countSeededRows(run, seededTables);
    const parser = await loadSqlParser();
    if (session.planSource.kind !== 'auto_explain') {
      input.log(`cost pass: plans from EXPLAIN of SELECTs only (${session.planSource.reason})`);
      explainer = await openExplainRunner(Client, settings.url);
    }
    capture = installStatementCapture(Client);
    const tools: PassTools = { capture, parser, session, ...(explainer ? { explain: explainer.explain } : {}) };
    const results: CostOperationResult[] = [];
    for (const op of operations) results.push(await measureOne(op, input.wrap ? input.wrap(db, op.scenarioId) : db, tools));
    const errored = results.filter((r) => r.status === 'errored').length;
    const wallMs = performance.now() - started;
    input.log(`cost pass: ${results.length} operations counted in ${Math.round(wallMs)} ms${errored > 0 ? `, ${errored} errored` : ''}`);
    return { planSource: session.planSource, serverVersionNum: session.serverVersionNum, seededTables, seededRows, wallMs, operations: results };
  } finally {
    capture?.uninstall();
    await explainer?.close().catch(() => undefined);
    await db.close();
  }
}

/** The pass, or undefined with a log line when it could not be set up: the timed run goes on without it. */
export async function tryCostPass(input: CostPassInput): Promise<CostSection | undefined> {
  try {
    return await runCostPass(input);
  } catch (error) {
    input.log(`cost pass skipped: ${toError(error).message}`);
    return undefined;
  }
}
