/**
 * How a template calls an operation of a perf file: in a fresh fork of the scenario's data layer
 * (a read session without a transaction, or, for a `write` operation, one transaction per call;
 * several calls in one transaction for the transaction template), with the perf file's `data` and
 * `app`, the scenario's seeded random and what the template's `prepare` made for this run. When
 * the template has `verify`, every value the calls return is kept for it.
 */
import type { Operation, OperationContext, PrepareContext, ScenarioSpec, SizedOperation, StoredCallOptions, VerifyCheck } from '../../api/index.js';
import { check } from '../../suites/scenario.js';
import type { Check } from '../../results/types.js';
import type { Random } from '../../suites/harness/random.js';
import type { ScenarioContext } from '../../suites/scenario.js';
import type { DataLayerUnderTest, Session } from '../../suites/subject.js';
import { ProjectError } from '../project-files.js';

/** The `write`, `prepare` and `verify` of a template that takes them (bench, sizes, concurrency, transaction); none of the others. */
export function callOptionsOf(spec: ScenarioSpec<unknown, unknown>): StoredCallOptions<unknown, unknown> {
  return spec.template === 'load' || spec.template === 'sessions' || spec.template === 'faults' ? {} : spec;
}

/** What every call shares: the perf file's data and app, and the run's prepared value. */
export interface CallShared {
  data: unknown;
  app: unknown;
  prepared?: unknown;
}

/** The shared part of a scenario's context. */
export const sharedOf = (ctx: Pick<ScenarioContext, 'data' | 'app'>): CallShared => ({ data: ctx.data, app: ctx.app });

/** An operation, whatever its `Prepared` type (the template was type-checked where the perf file called it). */
type AnyOperation = Operation<unknown, unknown, never>;
type AnySizedOperation = SizedOperation<unknown, unknown, never>;
type AnyContext = OperationContext<unknown, unknown, never>;

/** The context of one call, on the session's EntityManager. */
export function callContext(em: unknown, shared: CallShared, random: Random): AnyContext {
  return { em: em as AnyContext['em'], data: shared.data, app: shared.app, random, prepared: shared.prepared as never };
}

/** A session of `db`: one transaction for a write, none for a read. */
const sessionOf = (db: DataLayerUnderTest, write: boolean | undefined) => <T>(fn: (s: Session) => Promise<T>) =>
  write ? db.write(fn) : db.read(fn);

/** One call of `operation` in its own session on `db`. */
export function callOperation(db: DataLayerUnderTest, shared: CallShared, random: Random, operation: AnyOperation, write?: boolean): Promise<unknown> {
  return sessionOf(db, write)((s) => operation(callContext(s.em, shared, random)));
}

/** One call of `operation` in its own session on `db`, handing `observe` the session's EntityManager first. */
export function callObserved(db: DataLayerUnderTest, shared: CallShared, random: Random, operation: AnyOperation, observe: (em: never) => void): Promise<unknown> {
  return db.read((s) => {
    observe(s.em as never);
    return operation(callContext(s.em, shared, random));
  });
}

/** One call of a sized operation in its own session on `db`. */
export function callSized(db: DataLayerUnderTest, shared: CallShared, random: Random, operation: AnySizedOperation, size: number, write?: boolean): Promise<unknown> {
  return sessionOf(db, write)((s) => operation({ ...callContext(s.em, shared, random), size }));
}

/** `count` calls of `operation` one after the other in one transaction on `db`; what each returned. */
export function callInTransaction(db: DataLayerUnderTest, shared: CallShared, random: Random, operation: AnyOperation, count: number): Promise<unknown[]> {
  return db.write(async (s) => {
    const returned: unknown[] = [];
    for (let i = 0; i < count; i += 1) returned.push(await operation(callContext(s.em, shared, random)));
    return returned;
  });
}

/** A bound call for the harness's runners: `() => Promise` on the scenario's own data layer. */
export function boundCall(db: DataLayerUnderTest, shared: CallShared, random: Random, operation: AnyOperation): () => Promise<unknown> {
  return () => callOperation(db, shared, random, operation);
}

/**
 * `shared` with what the template's `prepare` made (in one transaction on `db`), for calls with
 * the benchmark budget `seconds` at `size`; `shared` itself without a `prepare`.
 */
export async function prepareCalls(
  db: DataLayerUnderTest,
  options: StoredCallOptions<unknown, unknown>,
  shared: CallShared,
  random: Random,
  seconds: number,
  size?: number,
): Promise<CallShared> {
  const prepare = options.prepare;
  if (!prepare) return shared;
  const prepared = await db.write((s) => {
    const context: PrepareContext<unknown, unknown> = { ...callContext(s.em, shared, random), prepared: undefined, seconds, ...(size === undefined ? {} : { size }) };
    return Promise.resolve(prepare(context));
  });
  return { ...shared, prepared };
}

/** The checks a `verify` returned, as the scenario's checks; a malformed one is a ProjectError naming the template. */
function toChecks(returned: readonly VerifyCheck[], from: string): Check[] {
  if (!Array.isArray(returned)) throw new ProjectError(`${from}: verify must return an array of checks, got ${typeof returned}`);
  return returned.map((c, i) => {
    if (typeof c?.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(c.name) || typeof c.passed !== 'boolean') {
      throw new ProjectError(`${from}: verify's check ${i} is ${JSON.stringify(c)}; expected { name: 'snake_case', passed: boolean, measured?, expected? }`);
    }
    return check(c.name, c.passed, c.measured ?? c.passed, c.expected ?? 'true');
  });
}

/**
 * One scenario run's calls of a template's operation: `prepare` ran (in one transaction, not timed)
 * before them, and, when the template verifies, what every call returned is kept (a transaction's
 * calls each), for `verify` after the timed calls.
 */
export class ScenarioCalls {
  private readonly returned: unknown[] | undefined;

  private constructor(
    private readonly ctx: ScenarioContext,
    private readonly options: StoredCallOptions<unknown, unknown>,
    private readonly shared: CallShared,
    private readonly from: string,
  ) {
    this.returned = options.verify ? [] : undefined;
  }

  /** Runs `prepare` (with `size` for a sized template) and returns the run's calls. */
  static async open(ctx: ScenarioContext, options: StoredCallOptions<unknown, unknown>, from: string, size?: number): Promise<ScenarioCalls> {
    if (options.prepare) ctx.step('preparing (prepare)');
    const shared = await prepareCalls(ctx.db, options, sharedOf(ctx), ctx.random, ctx.options.benchmarkMaxSeconds, size);
    return new ScenarioCalls(ctx, options, shared, from);
  }

  private keep<T>(value: T): T {
    this.returned?.push(value);
    return value;
  }

  /** One call of a plain operation, in its own session. */
  plain(operation: AnyOperation): () => Promise<unknown> {
    const { db, random } = this.ctx;
    const write = this.options.write;
    if (!this.returned) return () => callOperation(db, this.shared, random, operation, write);
    return async () => this.keep(await callOperation(db, this.shared, random, operation, write));
  }

  /** One call of a sized operation at `size`, in its own session. */
  sized(operation: AnySizedOperation, size: number): () => Promise<unknown> {
    const { db, random } = this.ctx;
    const write = this.options.write;
    if (!this.returned) return () => callSized(db, this.shared, random, operation, size, write);
    return async () => this.keep(await callSized(db, this.shared, random, operation, size, write));
  }

  /** `count` calls in one transaction, as one timed call. */
  transaction(operation: AnyOperation, count: number): () => Promise<unknown> {
    const { db, random } = this.ctx;
    return async () => {
      const values = await callInTransaction(db, this.shared, random, operation, count);
      this.returned?.push(...values);
      return values;
    };
  }

  /** The template's `verify` (after the timed calls, in a read session), as checks; none without one. */
  async verify(): Promise<Check[]> {
    const verify = this.options.verify;
    if (!verify) return [];
    this.ctx.step('verifying what the calls did (verify)');
    const results = this.returned ?? [];
    const returned = await this.ctx.db.read((s) => Promise.resolve(verify({ ...callContext(s.em, this.shared, this.ctx.random), results })));
    return toChecks(returned, this.from);
  }
}
