/**
 * perf-gate's public API: what a perf file in a user's repository imports. A perf file
 * default-exports `defineConfig({...})`: how to seed the scratch database, what to build before the
 * scenarios (setup), and the scenarios, each a template of the specification's four categories
 * applied to one of the user's operations. Everything here is data: the templates only record what
 * to run; perf-gate's runner (src/project/) turns them into scenarios.
 *
 * Types come from the user's own MikroORM (`@mikro-orm/postgresql`, a peer dependency): nothing of
 * MikroORM is imported at run time, so the user's copy is the only one in the process.
 */
import type { EntityManager, MikroORM, Options } from '@mikro-orm/postgresql';
/** A deterministic source of random numbers, seeded from the run's `--seed`: the same seed gives the same sequence. */
export interface Random {
    /** The seed this generator started from (as an unsigned 32-bit integer). */
    readonly seed: number;
    /** A float in [0, 1). */
    next(): number;
    /** An integer in [min, max], both ends included. */
    int(min: number, max: number): number;
    /** True with probability `p` (0 never, 1 always). */
    chance(p: number): boolean;
    /** One element of a non-empty array, uniformly. */
    pick<T>(items: readonly T[]): T;
}
/** What the seed function gets. */
export interface SeedContext {
    /** A fork of your ORM's EntityManager on the scratch database, inside a transaction. */
    em: EntityManager;
    /** Seeded from `--seed`: both arms of a duet make the same choices. */
    random: Random;
    /** The run's seed (to seed a generator of your own, e.g. `faker.seed(seed)`). */
    seed: number;
    /** Rows to create, from `--users` (default 10,000): a size to scale your seed data by. */
    rows: number;
}
/** What `setup` gets: your ORM on the scratch database, and what the seed returned. */
export interface SetupContext<Data> {
    orm: MikroORM;
    data: Data;
    /** The scratch database's URL, for code that opens its own connections. */
    databaseUrl: string;
}
/** What every call of an operation gets. */
export interface OperationContext<Data = unknown, App = unknown, Prepared = unknown> {
    /**
     * A fresh fork of the EntityManager for this call, also the call's RequestContext: code that
     * holds your global `orm.em` (a NestJS service) uses this fork too. In a `write` operation the
     * fork is inside the call's transaction.
     */
    em: EntityManager;
    /** What your seed returned. */
    data: Data;
    /** What your setup returned. */
    app: App;
    /** Seeded from `--seed`. */
    random: Random;
    /** What the template's `prepare` returned for this run of the scenario (undefined without one). */
    prepared: Prepared;
}
/** An operation with a size: a page of `size` rows, a batch of `size` items, `size` steps in one transaction. */
export interface SizedOperationContext<Data = unknown, App = unknown, Prepared = unknown> extends OperationContext<Data, App, Prepared> {
    size: number;
}
/** One call of your data layer. Throw on a wrong result: the call then counts as failed. */
export type Operation<Data = unknown, App = unknown, Prepared = unknown> = (ctx: OperationContext<Data, App, Prepared>) => Promise<unknown>;
/** One call with a size parameter. */
export type SizedOperation<Data = unknown, App = unknown, Prepared = unknown> = (ctx: SizedOperationContext<Data, App, Prepared>) => Promise<unknown>;
/** What `prepare` gets: a fork inside one transaction (committed before the timed calls), and the run's budget. */
export interface PrepareContext<Data = unknown, App = unknown> extends OperationContext<Data, App, undefined> {
    /** The benchmark's time budget in seconds (make enough rows for calls that use one up each). */
    seconds: number;
    /** The size this run is at (sizes template). */
    size?: number;
}
/** What `verify` gets: a fresh fork (no transaction) and what every call of the run returned, in order. */
export interface VerifyContext<Data = unknown, App = unknown, Prepared = unknown> extends OperationContext<Data, App, Prepared> {
    /** The value of every call that succeeded (untimed warm-up calls and side measurements included). */
    results: unknown[];
}
/** One check `verify` makes; it is reported beside the template's own and fails the scenario when `passed` is false. */
export interface VerifyCheck {
    /** snake_case, unique within the scenario (e.g. `orders_stored`). */
    name: string;
    passed: boolean;
    /** What was found (default: `passed`). */
    measured?: number | string | boolean;
    /** What was expected, as text (default: `true`). */
    expected?: string;
}
/** How a bench, sizes, concurrency or transaction template calls the operation, and what it checks after. */
export interface CallOptions<Data = unknown, App = unknown, Prepared = unknown> extends TemplateOptions {
    /**
     * Each call is one transaction (a write that must commit as a whole); default: a session without
     * a transaction, where MikroORM's `flush` makes its own. The transaction template always has one.
     */
    write?: boolean;
    /**
     * Runs once before each run of the scenario (not timed, in one transaction): makes what the
     * calls use up (rows to update, a pool of ids), reads what they need. Its value is `prepared`.
     */
    prepare?: (ctx: PrepareContext<Data, App>) => Prepared | Promise<Prepared>;
    /**
     * Runs after the timed calls, with what they returned: checks that they stored what they should
     * (rows and audit rows counted back). A template with `verify` keeps every call's value.
     */
    verify?: (ctx: VerifyContext<Data, App, Prepared>) => VerifyCheck[] | Promise<VerifyCheck[]>;
}
/**
 * CallOptions as a spec keeps them, whatever the `Prepared` type the template was called with
 * (checked there): the template hands `prepare`'s value to the operation and to `verify` unchanged.
 */
export interface StoredCallOptions<Data, App> extends TemplateOptions {
    write?: boolean;
    prepare?: (ctx: PrepareContext<Data, App>) => unknown;
    verify?: (ctx: VerifyContext<Data, App, never>) => VerifyCheck[] | Promise<VerifyCheck[]>;
}
/** Options every template takes. */
export interface TemplateOptions {
    /** Shown in the report next to the scenario id. */
    description?: string;
}
/**
 * `bench.<id>`: the operation timed as the bench scenarios are (avg, p50/p95/p99, ops/s), with the
 * absolute targets thresholds.json gives the id.
 */
export interface BenchSpec<Data, App> extends StoredCallOptions<Data, App> {
    template: 'bench';
    id: string;
    operation: Operation<Data, App, never>;
}
/**
 * `bench.<id>:<size>` for each size: the operation timed at every size, with `per_item_ms`. With
 * `oneByOne` (one item per call), the sizes are batches: `bench.<id>.one_by_one:<size>` makes the
 * same items one call each, and the batch must beat it per item. Without it, the sizes are pages:
 * at the largest size the time per row must not grow and the time must grow no faster than linearly.
 */
export interface SizesSpec<Data, App> extends StoredCallOptions<Data, App> {
    template: 'sizes';
    id: string;
    operation: SizedOperation<Data, App, never>;
    /** Default: pages 10, 25, 50, 100; batches (with `oneByOne`) 10, 50, 100. */
    sizes?: readonly number[];
    oneByOne?: Operation<Data, App, never>;
    /** The id of the one-by-one scenarios, `bench.<oneByOneId>:<size>` (default `<id>.one_by_one`). */
    oneByOneId?: string;
    /** The name of the size in the scenarios' params (default `size`; e.g. `page_size`). */
    sizeParam?: string;
}
/**
 * `bench.<id>:<callers>` for each level: the operation called by that many callers at once; at the
 * highest level the mean latency may grow at most 1.25 x the callers over one caller's (sub-linear).
 */
export interface ConcurrencySpec<Data, App> extends StoredCallOptions<Data, App> {
    template: 'concurrency';
    id: string;
    operation: Operation<Data, App, never>;
    /** Default 1, 5, 10, 20. */
    levels?: readonly number[];
}
/**
 * `bench.<id>:<n>` for each size: n calls of the operation in one transaction (`em.transactional`),
 * with `per_item_ms` and the commit overhead (the fixed cost of a transaction, from sizes 1 and n).
 */
export interface TransactionSpec<Data, App> extends Omit<StoredCallOptions<Data, App>, 'write'> {
    template: 'transaction';
    id: string;
    operation: Operation<Data, App, never>;
    /** Default 1, 5, 10, 20. */
    sizes?: readonly number[];
}
/**
 * The pooling category on your pool: `pooling.<id>.normal_load` (20 callers x 10 calls, error rate
 * < 1%), `pooling.<id>.high_load` (100 x 5, error rate < 5%, queueing expected), both with the pool
 * read every 2 ms; `pooling.<id>.exhaustion` (a pool of 2 + 1 overflow of your config: queued
 * requests complete, the excess times out fast), `pooling.<id>.recycling` (backend pids reused)
 * and `pooling.<id>.monitoring` (pool statistics consistent under load). The empty id `''` gives
 * the category's own ids (`pooling.normal_load`), for a data layer with one pool.
 */
export interface LoadSpec<Data, App> extends TemplateOptions {
    template: 'load';
    id: string;
    operation: Operation<Data, App, never>;
}
/**
 * The session category on the operation, the specification's seven scenarios:
 * `sessions.<id>.normal_cleanup` (100 calls, every fork collectable), `.exception_cleanup` (the
 * operation, then failures of each real kind in its transaction: raised, rolled back; a transient
 * failure committed after your retry or raised whole), `.concurrent` (50 x 6), `.memory_stability`
 * (1000 calls: RSS growth < 50 MB, the heap not growing, peak heap), `.pool_leak` (30% failing
 * calls: no connection churn), `.context_tracking` (one fork per session-helper use) and
 * `.heap_tracking` (peak heap < 100 MB, allocation sites). Every scenario of a perf file also
 * checks that the forks it opened were closed and the pool is back to no connection in use. The
 * empty id `''` gives the category's own ids (`sessions.normal_cleanup`).
 */
export interface SessionsSpec<Data, App> extends TemplateOptions {
    template: 'sessions';
    id: string;
    operation: Operation<Data, App, never>;
}
/**
 * The retry category on the operation behind a fault proxy.
 *
 * Without a `policy`: `retry.<id>.transient_failures` (30% of calls lose their connection
 * mid-statement), `retry.<id>.backend_restart` (every backend terminated during a load),
 * `retry.<id>.black_hole` (the server stops answering: how long until a call fails). A data layer
 * without retry is measured as it is; the targets are thresholds.json's.
 *
 * With a `policy` (the retry and breaker your layer implements), the specification's five,
 * observed from outside at the proxy (statements that reach it, and when): `.transient_failures`
 * (30% of statements answered with a serialization failure, 40001: error rate < 5%, every failed
 * call made the policy's attempts), `.circuit_breaker` (the server answering 57P01: opens at the
 * threshold, rejects without a statement while open, one probe when half-open, closes once
 * healed), `.timeout` (a slow and a silent server: calls fail within `timeoutMs`),
 * `.exponential_backoff` (the gaps between attempts are the policy's delays) and `.retry_storm`
 * (50 x 4 calls while every statement fails for 300 ms: bounded attempts, recovery). The empty id
 * `''` gives the category's own ids (`retry.transient_failures`).
 */
export interface FaultsSpec<Data, App> extends TemplateOptions {
    template: 'faults';
    id: string;
    operation: Operation<Data, App, never>;
    policy?: RetryPolicy;
}
/**
 * The retry policy your data layer implements, as the faults template checks it: the delays before
 * each retry (their count is the retries; a transient failure is a serialization failure 40001 or
 * the server's 57P01), the circuit breaker, and the time limit of one call.
 */
export interface RetryPolicy {
    /** Delay before retry 1, 2, ..., ms (the specification's: 100, 200, 400, 800). */
    retryDelaysMs: readonly number[];
    /**
     * Consecutive outage failures (57P01) that open the breaker (counted per attempt, or per call
     * when your breaker wraps the retries), and how long it stays open before one probe, ms.
     */
    breaker?: {
        failureThreshold: number;
        recoveryMs: number;
    };
    /** A call on a slow or silent server fails within this, ms (plus 1.5 s for a cancel to give up). */
    timeoutMs?: number;
}
/** The options of the faults template. */
export interface FaultsOptions extends TemplateOptions {
    /** The retry policy your layer implements: the specification's five scenarios instead of the three. */
    policy?: RetryPolicy;
}
/** One entry of `scenarios`: a template applied to an operation. */
export type ScenarioSpec<Data = unknown, App = unknown> = BenchSpec<Data, App> | SizesSpec<Data, App> | ConcurrencySpec<Data, App> | TransactionSpec<Data, App> | LoadSpec<Data, App> | SessionsSpec<Data, App> | FaultsSpec<Data, App>;
/** Your MikroORM options, or a function (maybe async) that makes them. */
export type MikroOrmConfigSource = Options | (() => Options | Promise<Options>);
/** A seeder class of `@mikro-orm/seeder` (its `run(em, context)` gets `{ seed, random, rows }`). */
export type SeederClass = new () => {
    run(em: EntityManager, context?: Record<string, unknown>): Promise<void> | void;
};
/** What a perf file default-exports. */
export interface PerfConfig<Data = unknown, App = unknown> {
    /**
     * Your MikroORM config. Default: found as MikroORM's CLI finds it (package.json
     * `mikro-orm.configPaths`, then `src/mikro-orm.config.ts`, `mikro-orm.config.ts` and their .js).
     * perf-gate replaces only the connection (a scratch database) and turns `debug` off.
     */
    mikroOrm?: MikroOrmConfigSource;
    /** Fills the scratch database after the migrations, in one transaction; what it returns is `data`. */
    seed?: (ctx: SeedContext) => Promise<Data> | Data;
    /** Your `@mikro-orm/seeder` class, run before `seed`. */
    seeder?: SeederClass;
    /** Builds what the operations need (services, a NestJS application context); it is `app`. */
    setup?: (ctx: SetupContext<Data>) => Promise<App> | App;
    /** Closes what setup built (after the last scenario, also when one failed). */
    teardown?: (app: App) => Promise<void> | void;
    /**
     * The scenarios, each from a template (bench, sizes, concurrency, transaction, load, sessions,
     * faults): a list, or a function given the templates typed with your `data` and `app`.
     */
    scenarios: ReadonlyArray<ScenarioSpec<Data, App>> | ((templates: Templates<Data, App>) => ReadonlyArray<ScenarioSpec<Data, App>>);
}
/** The templates, typed with a perf file's `data` and `app` (the argument of a `scenarios` function). */
export interface Templates<Data, App> {
    bench<Prepared = undefined>(id: string, call: WithOperation<CallOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): BenchSpec<Data, App>;
    bench<Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: CallOptions<Data, App, Prepared>): BenchSpec<Data, App>;
    sizes<Prepared = undefined>(id: string, call: WithOperation<SizesOptions<Data, App, Prepared>, SizedOperation<Data, App, Prepared>>): SizesSpec<Data, App>;
    sizes<Prepared = undefined>(id: string, operation: SizedOperation<Data, App, Prepared>, options?: SizesOptions<Data, App, Prepared>): SizesSpec<Data, App>;
    concurrency<Prepared = undefined>(id: string, call: WithOperation<ConcurrencyOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): ConcurrencySpec<Data, App>;
    concurrency<Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: ConcurrencyOptions<Data, App, Prepared>): ConcurrencySpec<Data, App>;
    transaction<Prepared = undefined>(id: string, call: WithOperation<TransactionOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): TransactionSpec<Data, App>;
    transaction<Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: TransactionOptions<Data, App, Prepared>): TransactionSpec<Data, App>;
    load: typeof load<Data, App>;
    sessions: typeof sessions<Data, App>;
    faults: typeof faults<Data, App>;
}
/** The options of the sizes template. */
export type SizesOptions<Data, App, Prepared> = CallOptions<Data, App, Prepared> & {
    sizes?: readonly number[];
    oneByOne?: Operation<Data, App, Prepared>;
    oneByOneId?: string;
    sizeParam?: string;
};
/** The perf file's default export: checks nothing, returns the config typed (as Vite's `defineConfig`). */
export declare function defineConfig<Data = unknown, App = unknown>(config: PerfConfig<Data, App>): PerfConfig<Data, App>;
/**
 * The second argument of bench, sizes, concurrency and transaction: the operation, or an object
 * with `operation` and the options. Write `prepare` before `operation` in the object and TypeScript
 * types `prepared` (in the operation and in `verify`) from what `prepare` returns.
 */
type WithOperation<Options, Op> = Options & {
    operation: Op;
};
/** `bench.<id>`: the operation timed (see BenchSpec). */
export declare function bench<Data, App, Prepared = undefined>(id: string, call: WithOperation<CallOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): BenchSpec<Data, App>;
export declare function bench<Data, App, Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: CallOptions<Data, App, Prepared>): BenchSpec<Data, App>;
/** `bench.<id>:<size>`: pages, or batches against one by one with `oneByOne` (see SizesSpec). */
export declare function sizes<Data, App, Prepared = undefined>(id: string, call: WithOperation<SizesOptions<Data, App, Prepared>, SizedOperation<Data, App, Prepared>>): SizesSpec<Data, App>;
export declare function sizes<Data, App, Prepared = undefined>(id: string, operation: SizedOperation<Data, App, Prepared>, options?: SizesOptions<Data, App, Prepared>): SizesSpec<Data, App>;
/** The options of the concurrency template. */
export type ConcurrencyOptions<Data, App, Prepared> = CallOptions<Data, App, Prepared> & {
    levels?: readonly number[];
};
/** `bench.<id>:<callers>`: the operation under concurrent callers (see ConcurrencySpec). */
export declare function concurrency<Data, App, Prepared = undefined>(id: string, call: WithOperation<ConcurrencyOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): ConcurrencySpec<Data, App>;
export declare function concurrency<Data, App, Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: ConcurrencyOptions<Data, App, Prepared>): ConcurrencySpec<Data, App>;
/** The options of the transaction template. */
export type TransactionOptions<Data, App, Prepared> = Omit<CallOptions<Data, App, Prepared>, 'write'> & {
    sizes?: readonly number[];
};
/** `bench.<id>:<n>`: n calls in one transaction (see TransactionSpec). */
export declare function transaction<Data, App, Prepared = undefined>(id: string, call: WithOperation<TransactionOptions<Data, App, Prepared>, Operation<Data, App, Prepared>>): TransactionSpec<Data, App>;
export declare function transaction<Data, App, Prepared = undefined>(id: string, operation: Operation<Data, App, Prepared>, options?: TransactionOptions<Data, App, Prepared>): TransactionSpec<Data, App>;
/** `pooling.<id>.*`: load on your pool (see LoadSpec). */
export declare function load<Data, App>(id: string, operation: Operation<Data, App, never>, options?: TemplateOptions): LoadSpec<Data, App>;
/** `sessions.<id>.*`: leaks and memory (see SessionsSpec). */
export declare function sessions<Data, App>(id: string, operation: Operation<Data, App, never>, options?: TemplateOptions): SessionsSpec<Data, App>;
/** `retry.<id>.*`: the operation behind a fault proxy (see FaultsSpec). */
export declare function faults<Data, App>(id: string, operation: Operation<Data, App, never>, options?: FaultsOptions): FaultsSpec<Data, App>;
export {};
