import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  CATEGORIES,
  CONCURRENCY_LEVELS,
  DEFAULT_DB_SETTINGS,
  InjectedError,
  LINEARITY_TOLERANCE,
  LatencyRecorder,
  MAX_ERROR_RATE,
  OPERATIONS,
  PoolTimeoutError,
  RATE_TOLERANCE,
  SessionTracker,
  TRANSACTION_SIZES,
  allSucceeded,
  backendPid,
  batchParams,
  benchOutcome,
  benchTiming,
  callFigures,
  check,
  chordRatio,
  cleanupChecks,
  closeSessionWindow,
  commitOverheadMs,
  compareInterleaved,
  concurrencyOutcome,
  concurrentSessionsScenario,
  createRandom,
  describeError,
  esm_default,
  exhaustionScenario,
  hrClock,
  isAcquireTimeout,
  keepReference,
  limitCheck,
  maxPeaks,
  meanOf,
  measureLoad,
  memoryBatchSize,
  openSessionWindow,
  percentileOf,
  poolChecks,
  readPoolStats,
  readResourceMetrics,
  recallOrMeasure,
  recyclingScenario,
  runBatches,
  runBenchmark,
  runPoolLoad,
  scenarioMetrics,
  sharedLoadScenario,
  sleep,
  terminateBackendsByPid,
  timeOutcome,
  toMetric,
  trackPeakHeap,
  waitForPoolIdle,
  warmPool,
  watchPool,
  withPerItem
} from "./chunk-3MERJO6Q.js";
import {
  installTypeScriptLoader,
  isTypeScriptFile
} from "./chunk-UEUSAORX.js";
import {
  bench,
  concurrency,
  faults,
  load,
  sessions,
  sizes,
  transaction
} from "./chunk-TIS66NQ7.js";
import {
  __name
} from "./chunk-I5MUDD6B.js";

// src/project/load-project.ts
import path3 from "node:path";
import { pathToFileURL as pathToFileURL2 } from "node:url";

// src/project/project-files.ts
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
var ProjectError = class extends Error {
  static {
    __name(this, "ProjectError");
  }
  name = "ProjectError";
};
var PERF_FILE = /\.perf\.(ts|mts|cts|js|mjs|cjs)$/;
var PERF_FILE_FOLDERS = ["perf", "."];
function findPerfFile(projectDir, named) {
  if (named !== void 0) {
    const file = path.resolve(projectDir, named);
    if (!existsSync(file)) throw new ProjectError(`the perf file '${named}' does not exist (looked for ${file})`);
    return file;
  }
  const found = PERF_FILE_FOLDERS.flatMap((folder) => {
    const dir = path.join(projectDir, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((name) => PERF_FILE.test(name)).sort().map((name) => path.join(dir, name));
  });
  if (found.length > 1) {
    const list = found.map((f) => path.relative(projectDir, f)).join(", ");
    throw new ProjectError(`found ${found.length} perf files (${list}); name one with --perf (the action's 'perf-file' input)`);
  }
  return found[0];
}
__name(findPerfFile, "findPerfFile");
function configuredPaths(projectDir) {
  const manifest = path.join(projectDir, "package.json");
  if (!existsSync(manifest)) return [];
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(manifest, "utf8"));
  } catch (error) {
    throw new ProjectError(`${manifest} is not valid JSON: ${error.message}`);
  }
  const paths = parsed["mikro-orm"]?.configPaths;
  if (paths === void 0) return [];
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
    throw new ProjectError(`${manifest}: 'mikro-orm.configPaths' must be a list of paths, got ${JSON.stringify(paths)}`);
  }
  return paths;
}
__name(configuredPaths, "configuredPaths");
function configCandidates(projectDir, fromEnv) {
  const usual = ["src/mikro-orm.config", "mikro-orm.config"].flatMap((stem) => [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].map((ext) => `${stem}${ext}`));
  const built = ["dist/mikro-orm.config.js", "build/mikro-orm.config.js"];
  return [...fromEnv ? [fromEnv] : [], ...configuredPaths(projectDir), ...usual, ...built];
}
__name(configCandidates, "configCandidates");
function findMikroOrmConfig(projectDir, fromEnv) {
  const candidates = configCandidates(projectDir, fromEnv);
  const found = candidates.map((c) => path.resolve(projectDir, c)).find((file) => existsSync(file));
  if (found) return found;
  throw new ProjectError(
    `no MikroORM config found in ${projectDir}; looked for ${candidates.join(", ")}. Add one there, list yours in package.json 'mikro-orm.configPaths', or pass it as 'mikroOrm' in the perf file`
  );
}
__name(findMikroOrmConfig, "findMikroOrmConfig");

// src/project/project-modules.ts
import { existsSync as existsSync2, readFileSync as readFileSync2 } from "node:fs";
import { createRequire } from "node:module";
import path2 from "node:path";
import { pathToFileURL } from "node:url";
function findPackageDir(projectDir, name) {
  let dir = path2.resolve(projectDir);
  for (; ; ) {
    const candidate = path2.join(dir, "node_modules", name);
    if (existsSync2(path2.join(candidate, "package.json"))) return candidate;
    const parent = path2.dirname(dir);
    if (parent === dir) return void 0;
    dir = parent;
  }
}
__name(findPackageDir, "findPackageDir");
function installedVersion(projectDir, name) {
  const dir = findPackageDir(projectDir, name);
  if (!dir) return void 0;
  return JSON.parse(readFileSync2(path2.join(dir, "package.json"), "utf8")).version;
}
__name(installedVersion, "installedVersion");
function entryOf(dir) {
  const manifest = JSON.parse(readFileSync2(path2.join(dir, "package.json"), "utf8"));
  const pick = /* @__PURE__ */ __name((value) => {
    if (typeof value === "string") return value;
    if (value && typeof value === "object") {
      const conditions = value;
      for (const key of ["node", "import", "default", "require"]) {
        const found = pick(conditions[key]);
        if (found) return found;
      }
    }
    return void 0;
  }, "pick");
  const exported = manifest.exports && typeof manifest.exports === "object" && "." in manifest.exports ? manifest.exports["."] : manifest.exports;
  return path2.join(dir, pick(exported) ?? manifest.main ?? "index.js");
}
__name(entryOf, "entryOf");
async function importFromProject(projectDir, name) {
  let file;
  try {
    file = createRequire(path2.join(projectDir, "package.json")).resolve(name);
  } catch {
    const dir = findPackageDir(projectDir, name);
    if (!dir) throw new ProjectError(`'${name}' is not installed in ${projectDir} (perf-gate uses your project's own copy): npm i ${name}`);
    file = entryOf(dir);
  }
  return await import(pathToFileURL(file).href);
}
__name(importFromProject, "importFromProject");

// src/project/load-project.ts
var TEMPLATES = { bench, sizes, concurrency, transaction, load, sessions, faults };
function defaultExport(module) {
  const value = "default" in module ? module.default : module;
  if (value && typeof value === "object" && "default" in value && Object.keys(value).length <= 2) {
    return value.default ?? value;
  }
  return value;
}
__name(defaultExport, "defaultExport");
async function importFile(file, what, loader) {
  if (isTypeScriptFile(file) && !loader.available) {
    throw new ProjectError(`cannot load the ${what} ${file}: it is TypeScript and ${loader.description}`);
  }
  try {
    return defaultExport(await import(pathToFileURL2(file).href));
  } catch (error) {
    const how = isTypeScriptFile(file) ? `with ${loader.description}` : "as JavaScript";
    const stack = error instanceof Error && error.stack ? `
${error.stack}` : "";
    throw new ProjectError(`could not load the ${what} ${file} (loaded ${how}): ${describeError(error)}${stack}`);
  }
}
__name(importFile, "importFile");
function readPerfConfig(value, file) {
  if (!value || typeof value !== "object" || !("scenarios" in value)) {
    throw new ProjectError(`the perf file ${file} must default-export defineConfig({ scenarios: [...] }) from 'perf-gate', got ${describeValue(value)}`);
  }
  const config = value;
  const listed = typeof config.scenarios === "function" ? config.scenarios(TEMPLATES) : config.scenarios;
  if (!Array.isArray(listed) || listed.length === 0) {
    throw new ProjectError(`the perf file ${file}: 'scenarios' must give a non-empty list of templates (bench, sizes, ...), got ${describeValue(listed)}`);
  }
  listed.forEach((spec, index) => {
    const s = spec;
    if (!s || typeof s.template !== "string" || typeof s.id !== "string" || typeof s.operation !== "function") {
      throw new ProjectError(`the perf file ${file}: scenarios[${index}] is not a template (use bench('id', operation), sizes(...), ...), got ${describeValue(spec)}`);
    }
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(s.id)) {
      throw new ProjectError(`the perf file ${file}: scenarios[${index}] has the id '${s.id}', expected lower-case words joined by dots (users.get_by_id)`);
    }
  });
  return { config, specs: listed };
}
__name(readPerfConfig, "readPerfConfig");
function describeValue(value) {
  if (value === void 0 || value === null) return String(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === "object" ? `an object with ${Object.keys(value).join(", ") || "no keys"}` : JSON.stringify(value);
}
__name(describeValue, "describeValue");
async function resolveOptions(source, from) {
  const value = typeof source === "function" ? await source() : await source;
  const options = Array.isArray(value) ? value[0] : value;
  if (!options || typeof options !== "object") {
    throw new ProjectError(`the MikroORM config ${from} must give an options object (or a function or promise of one), got ${describeValue(options)}`);
  }
  return options;
}
__name(resolveOptions, "resolveOptions");
async function loadModules(projectDir) {
  const version = installedVersion(projectDir, "@mikro-orm/core");
  if (!version) throw new ProjectError(`'@mikro-orm/core' is not installed in ${projectDir}: perf-gate measures your project's own MikroORM`);
  if (!/^[67]\./.test(version)) throw new ProjectError(`@mikro-orm/core ${version} is installed in ${projectDir}; perf-gate supports MikroORM 6 and 7`);
  const driver = await importFromProject(projectDir, "@mikro-orm/postgresql");
  const core = await importFromProject(projectDir, "@mikro-orm/core");
  if (!driver.MikroORM || !core.RequestContext) throw new ProjectError(`the MikroORM packages in ${projectDir} do not export MikroORM and RequestContext`);
  return { MikroORM: driver.MikroORM, RequestContext: core.RequestContext, version };
}
__name(loadModules, "loadModules");
async function loadProject(request) {
  const projectDir = path3.resolve(request.projectDir);
  const perfFile = findPerfFile(projectDir, request.perfFile);
  if (!perfFile) return void 0;
  const loader = installTypeScriptLoader(projectDir, request.hooksFile);
  const { config, specs } = readPerfConfig(await importFile(perfFile, "perf file", loader), perfFile);
  let configFrom;
  let source;
  if (config.mikroOrm !== void 0) {
    configFrom = `'mikroOrm' of ${path3.relative(projectDir, perfFile)}`;
    source = config.mikroOrm;
  } else {
    const file = findMikroOrmConfig(projectDir, request.configFromEnv);
    configFrom = path3.relative(projectDir, file);
    source = await importFile(file, "MikroORM config", loader);
  }
  const options = await resolveOptions(source, configFrom);
  const modules = await loadModules(projectDir);
  const typescript = isTypeScriptFile(perfFile) || /\.[cm]?ts$/.test(configFrom);
  return { projectDir, perfFile, config, specs, source: { projectDir, modules, options, typescript }, configFrom, loader };
}
__name(loadProject, "loadProject");

// src/project/project-pool.ts
function hasKnex(orm) {
  const connection = orm.em.getConnection();
  return typeof connection.getKnex === "function";
}
__name(hasKnex, "hasKnex");
var looksLikePool = /* @__PURE__ */ __name((value) => typeof value === "object" && value !== null && "totalCount" in value && "idleCount" in value && "waitingCount" in value, "looksLikePool");
async function findNativePool(orm) {
  if (hasKnex(orm)) return void 0;
  const connection = orm.em.getConnection();
  const native = typeof connection.getNativeClient === "function" ? await connection.getNativeClient() : void 0;
  return looksLikePool(native) ? native : void 0;
}
__name(findNativePool, "findNativePool");
function readPgPool(pool, limits) {
  if (!pool) return { size: 0, inUse: 0, idle: 0, waiting: 0, creating: 0, ...limits, pids: [], busyPids: [] };
  const idleClients = (pool._idle ?? []).map((entry) => "client" in entry && entry.client ? entry.client : entry);
  const all = pool._clients ?? [];
  const pidOf = /* @__PURE__ */ __name((client) => typeof client.processID === "number" ? client.processID : void 0, "pidOf");
  const busy = all.filter((client) => !idleClients.includes(client));
  const pids = all.map(pidOf).filter((pid) => pid !== void 0);
  return {
    size: pool.totalCount,
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    creating: Math.max(0, all.length - pids.length),
    min: pool.options.min ?? limits.min,
    max: pool.options.max ?? limits.max,
    pids,
    busyPids: busy.map(pidOf).filter((pid) => pid !== void 0)
  };
}
__name(readPgPool, "readPgPool");
function readProjectPool(orm, limits, native) {
  if (hasKnex(orm)) return readPoolStats(orm, limits);
  return readPgPool(looksLikePool(native) ? native : void 0, limits);
}
__name(readProjectPool, "readProjectPool");

// src/project/project-layer.ts
var NO_RESILIENCE = Object.freeze({
  breakerState: "closed",
  snapshot: /* @__PURE__ */ __name(() => ({ attempts: 0, retries: 0, delays: [], breakerState: "closed", transitions: [], rejectedByBreaker: 0 }), "snapshot")
});
function tuningFromOptions(options, base, version) {
  const pool = options.pool ?? {};
  const driver = options.driverOptions ?? {};
  const size = pool.min ?? (version.startsWith("6.") ? 2 : 0);
  const max = Math.max(size, pool.max ?? 10);
  return {
    ...base,
    pool: {
      size,
      maxOverflow: max - size,
      timeoutSeconds: (pool.acquireTimeoutMillis ?? driver.acquireConnectionTimeout ?? driver.connectionTimeoutMillis ?? 6e4) / 1e3,
      idleTimeoutSeconds: (pool.idleTimeoutMillis ?? 3e4) / 1e3
    },
    retry: { ...base.retry, maxRetries: 0 }
  };
}
__name(tuningFromOptions, "tuningFromOptions");
function connectOptions(options, settings, source) {
  const url = new URL(settings.url);
  const { pool } = settings;
  const knex = source.modules.version.startsWith("6.");
  const acquireMs = Math.round(pool.timeoutSeconds * 1e3);
  const { typescript, projectDir: baseDir } = source;
  return {
    ...options,
    clientUrl: void 0,
    host: decodeURIComponent(url.hostname),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbName: decodeURIComponent(url.pathname.replace(/^\//, "")),
    baseDir: options.baseDir ?? baseDir,
    ...typescript ? { preferTs: true } : {},
    debug: false,
    ensureDatabase: false,
    // A migration run would write `.snapshot-<scratch database>.json` into the user's migrations folder.
    migrations: { ...options.migrations, snapshot: false },
    pool: {
      ...options.pool,
      min: pool.size,
      max: pool.size + pool.maxOverflow,
      ...knex ? { acquireTimeoutMillis: acquireMs } : {},
      idleTimeoutMillis: Math.round(pool.idleTimeoutSeconds * 1e3)
    },
    // MikroORM 7's pool (node-pg) waits for a connection for driverOptions.connectionTimeoutMillis, forever without it.
    ...knex ? {} : { driverOptions: { ...options.driverOptions, connectionTimeoutMillis: acquireMs } }
  };
}
__name(connectOptions, "connectOptions");
var CONNECTION_VARIABLES = ["MIKRO_ORM_CLIENT_URL", "MIKRO_ORM_HOST", "MIKRO_ORM_PORT", "MIKRO_ORM_USER", "MIKRO_ORM_PASSWORD", "MIKRO_ORM_DB_NAME", "MIKRO_ORM_SCHEMA"];
async function withoutConnectionVariables(init) {
  const env = process.env;
  const saved = Object.fromEntries([...CONNECTION_VARIABLES, "MIKRO_ORM_ENV"].map((name) => [name, env[name]]));
  for (const name of CONNECTION_VARIABLES) delete env[name];
  env.MIKRO_ORM_ENV = "/dev/null";
  try {
    return await init();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === void 0) delete env[name];
      else env[name] = value;
    }
  }
}
__name(withoutConnectionVariables, "withoutConnectionVariables");
var ProjectLayer = class _ProjectLayer {
  constructor(orm, settings, source, nativePool) {
    this.orm = orm;
    this.settings = settings;
    this.source = source;
    this.nativePool = nativePool;
  }
  orm;
  settings;
  source;
  nativePool;
  static {
    __name(this, "ProjectLayer");
  }
  sessions = new SessionTracker();
  resilience = NO_RESILIENCE;
  static async open(source, settings) {
    const options = connectOptions(source.options, settings, source);
    const orm = await withoutConnectionVariables(() => source.modules.MikroORM.init(options));
    return new _ProjectLayer(orm, settings, source, await findNativePool(orm));
  }
  /**
   * Runs `fn` in a fresh fork that is the call's RequestContext (and, when transactional, inside
   * `em.transactional`), and always ends it (cleared, counted closed).
   */
  async withSession(fn, options = {}) {
    const { RequestContext } = this.source.modules;
    const root = this.orm.em;
    return RequestContext.create(root, async () => {
      const em = RequestContext.getEntityManager(root.name) ?? root.fork();
      const handle = this.sessions.track(em);
      try {
        if (options.transactional || options.timeoutMs !== void 0) {
          return await em.transactional((inner) => fn({ em: inner }));
        }
        return await fn({ em });
      } catch (error) {
        throw this.translateFailure(error);
      } finally {
        em.clear();
        handle.close();
      }
    });
  }
  read(fn) {
    return this.withSession(fn);
  }
  write(fn) {
    return this.withSession(fn, { transactional: true });
  }
  /** An acquire timeout while every connection is in use is an exhausted pool (as the gate's own layer types it). */
  translateFailure(error) {
    if (!isAcquireTimeout(error) && !/timeout exceeded when trying to connect/i.test(String(error?.message))) return error;
    const { inUse, max } = this.poolStats();
    return inUse >= max ? new PoolTimeoutError(this.settings.pool.timeoutSeconds, max, { cause: error }) : error;
  }
  poolStats() {
    const { size, maxOverflow } = this.settings.pool;
    return readProjectPool(this.orm, { min: size, max: size + maxOverflow }, this.nativePool);
  }
  /**
   * Applies the project's migrations; a project without migrations gets its schema from the
   * entities (MikroORM's schema generator) instead. Returns what was applied.
   */
  async migrate() {
    const migrator = this.orm.migrator;
    const pending = await (migrator.getPending ?? migrator.getPendingMigrations).call(migrator);
    const executed = await (migrator.getExecuted ?? migrator.getExecutedMigrations).call(migrator);
    const known = [...pending, ...executed];
    if (known.length === 0) {
      const schema = this.orm.schema;
      await (schema.create ?? schema.createSchema).call(schema);
      return ["(no migrations: schema created from the entities)"];
    }
    const applied = await migrator.up();
    return applied.map((migration) => migration.name);
  }
  async close() {
    await this.orm.close(true);
  }
};

// src/project/templates/operation-call.ts
function callContext(em, state, random) {
  return { em, data: state.data, app: state.app, random };
}
__name(callContext, "callContext");
function callOperation(db, state, random, operation) {
  return db.read((s) => operation(callContext(s.em, state, random)));
}
__name(callOperation, "callOperation");
function callSized(db, state, random, operation, size) {
  return db.read((s) => operation({ ...callContext(s.em, state, random), size }));
}
__name(callSized, "callSized");
function callInTransaction(db, state, random, operation, count) {
  return db.write(async (s) => {
    for (let i = 0; i < count; i += 1) await operation(callContext(s.em, state, random));
  });
}
__name(callInTransaction, "callInTransaction");
function boundCall(db, state, random, operation) {
  return () => callOperation(db, state, random, operation);
}
__name(boundCall, "boundCall");

// src/project/templates/bench-template.ts
function benchTemplate(spec, state) {
  const id = `bench.${spec.id}`;
  return [
    {
      id,
      category: "bench",
      params: {},
      async run(ctx) {
        const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), boundCall(ctx.db, state, ctx.random, spec.operation));
        return benchOutcome(ctx, measured);
      }
    }
  ];
}
__name(benchTemplate, "benchTemplate");

// src/project/templates/concurrency-template.ts
function concurrencyTemplate(spec, state) {
  const levels = [...spec.levels ?? CONCURRENCY_LEVELS].sort((a, b) => a - b);
  const highest = levels[levels.length - 1];
  return levels.map((concurrency2) => ({
    id: `bench.${spec.id}:${concurrency2}`,
    category: "bench",
    params: { concurrency: concurrency2 },
    async run(ctx) {
      const measured = await measureLoad(ctx, boundCall(ctx.db, state, ctx.random, spec.operation), concurrency2);
      return concurrencyOutcome(ctx, measured, concurrency2, concurrency2 === highest);
    }
  }));
}
__name(concurrencyTemplate, "concurrencyTemplate");

// src/project/templates/faults-template.ts
var MIN_TRANSIENT_CALLS = 100;
var IN_FLIGHT_MS = 2;
var RESTART = { workers: 10, iterations: 20, minIterations: 4, roundsAfter: 2 };
async function openProxiedPoolOfOne(ctx) {
  const proxy = await ctx.startProxy();
  const db = await ctx.openDataLayer({ pool: { size: 1, maxOverflow: 0 } }, proxy.url(ctx.settings.url));
  return { proxy, db };
}
__name(openProxiedPoolOfOne, "openProxiedPoolOfOne");
function openConnection(db) {
  return db.withSession((s) => s.em.execute("select 1"));
}
__name(openConnection, "openConnection");
var nextTurn = /* @__PURE__ */ __name(() => new Promise((resolve) => setImmediate(resolve)), "nextTurn");
async function callWithCut(proxy, db, recorder, call) {
  await openConnection(db);
  await proxy.setMode({ kind: "blackhole" });
  let settled = false;
  const pending = recorder.measure(call).finally(() => {
    settled = true;
  });
  while (!settled && db.poolStats().inUse === 0) await nextTurn();
  if (!settled) await sleep(IN_FLIGHT_MS);
  const cut = !settled;
  await proxy.setMode({ kind: "pass" });
  if (cut) proxy.resetAll();
  return { outcome: await pending, cut };
}
__name(callWithCut, "callWithCut");
async function runCutCalls(ctx, proxy, db, calls, call) {
  const recorder = new LatencyRecorder();
  const tally = { planned: 0, cut: 0, cutSucceeded: 0, uncutFailed: 0 };
  const rate = ctx.options.transientFailureRate;
  for (let i = 0; i < calls && !ctx.signal.aborted; i++) {
    const drawn = ctx.random.chance(rate);
    const { outcome, cut } = drawn ? await callWithCut(proxy, db, recorder, call) : { outcome: await recorder.measure(call), cut: false };
    tally.planned += drawn ? 1 : 0;
    tally.cut += cut ? 1 : 0;
    if (cut && outcome.kind === "ok") tally.cutSucceeded++;
    if (!cut && outcome.kind === "error") tally.uncutFailed++;
  }
  return { recorder, tally };
}
__name(runCutCalls, "runCutCalls");
function transientFailures(spec, state) {
  return {
    id: `retry.${spec.id}.transient_failures`,
    category: "retry",
    params: { operations: OPERATIONS },
    async run(ctx) {
      const calls = ctx.scaled(OPERATIONS, MIN_TRANSIENT_CALLS);
      const rate = ctx.options.transientFailureRate;
      const { proxy, db } = await openProxiedPoolOfOne(ctx);
      const sampler = watchPool(db);
      ctx.step(`${calls} calls, ${Math.round(rate * 100)}% of them with their connection cut mid-statement`);
      const { recorder, tally } = await runCutCalls(ctx, proxy, db, calls, boundCall(db, state, ctx.random, spec.operation));
      const end = await waitForPoolIdle(db);
      const peaks = sampler.stop();
      const metrics = recorder.metrics();
      const failureRate = tally.cut / Math.max(1, recorder.total);
      const recoveryRate = tally.cut === 0 ? 1 : tally.cutSucceeded / tally.cut;
      const errorRate = metrics.error_rate.value;
      return {
        checks: [
          check("failures_injected_at_configured_rate", Math.abs(failureRate - rate) <= RATE_TOLERANCE, failureRate, `${rate} \xB1 ${RATE_TOLERANCE}`),
          check("recovery_rate_above_failure_rate", recoveryRate > failureRate, recoveryRate, `> ${failureRate.toFixed(3)} (failure rate)`),
          check("error_rate_below_5_percent", errorRate < MAX_ERROR_RATE, errorRate, `< ${MAX_ERROR_RATE}`),
          check("only_cut_calls_failed", tally.uncutFailed === 0, tally.uncutFailed, "0 failed calls without a cut"),
          ...poolChecks(end, peaks)
        ],
        metrics: {
          ...metrics,
          ...scenarioMetrics(db, peaks),
          failure_rate: toMetric("failure_rate", failureRate),
          recovery_rate: toMetric("recovery_rate", recoveryRate)
        },
        samples: recorder.samples(),
        params: {
          operations: calls,
          failureRate: rate,
          planned: tally.planned,
          injected: tally.cut,
          connections_opened: proxy.stats.accepted,
          errors: Object.entries(recorder.errorCounts()).map(([key, count]) => `${key} ${count}`).join(", ")
        }
      };
    }
  };
}
__name(transientFailures, "transientFailures");
function restartingCall(call, timeline, trigger, terminate) {
  let started = 0;
  let termination;
  const operation = /* @__PURE__ */ __name(async () => {
    started++;
    if (started === trigger) termination = terminate();
    const after = hrClock() >= timeline.terminatedAt;
    if (after) timeline.startedAfter++;
    await call();
    if (after && Number.isNaN(timeline.firstSuccessAt)) timeline.firstSuccessAt = hrClock();
  }, "operation");
  return { operation, terminated: /* @__PURE__ */ __name(async () => termination ?? terminate(), "terminated") };
}
__name(restartingCall, "restartingCall");
function backendRestart(spec, state) {
  const { workers, roundsAfter } = RESTART;
  return {
    id: `retry.${spec.id}.backend_restart`,
    category: "retry",
    params: { workers, iterations: RESTART.iterations },
    async run(ctx) {
      const iterations = ctx.scaled(RESTART.iterations, RESTART.minIterations);
      const db = await ctx.openDataLayer();
      await warmPool(db);
      const timeline = { pids: 0, terminated: 0, terminatedAt: Number.NaN, startedAfter: 0, firstSuccessAt: Number.NaN };
      const terminate = /* @__PURE__ */ __name(async () => {
        const { pids } = db.poolStats();
        timeline.pids = pids.length;
        timeline.terminated = await terminateBackendsByPid(ctx.settings.url, pids);
        timeline.terminatedAt = hrClock();
      }, "terminate");
      const restarting = restartingCall(boundCall(db, state, ctx.random, spec.operation), timeline, Math.ceil(workers * iterations / 2), terminate);
      ctx.step(`${workers} workers x ${iterations} calls, every backend terminated half way`);
      const load2 = await runPoolLoad(db, { concurrency: workers, iterations, operation: restarting.operation, signal: ctx.signal });
      await restarting.terminated();
      const loadCallsAfter = timeline.startedAfter;
      ctx.step(`${workers} workers x ${roundsAfter} calls after the restart`);
      const after = await runPoolLoad(db, { concurrency: workers, iterations: roundsAfter, operation: restarting.operation, signal: ctx.signal });
      const end = await waitForPoolIdle(db);
      const peaks = maxPeaks(load2.peaks, after.peaks);
      const recoveryMs = timeline.firstSuccessAt - timeline.terminatedAt;
      return {
        checks: [
          check("backends_terminated", timeline.pids > 0 && timeline.terminated === timeline.pids, `${timeline.terminated} of ${timeline.pids}`, "every backend of the pool"),
          check("recovered_after_restart", Number.isFinite(recoveryMs), Number.isFinite(recoveryMs) ? recoveryMs : "no success after the termination", "a call started after the termination succeeds"),
          { ...allSucceeded(after, workers * roundsAfter), name: "calls_succeed_after_restart" },
          ...poolChecks(end, peaks)
        ],
        metrics: {
          ...scenarioMetrics(db, peaks, load2),
          ...Number.isFinite(recoveryMs) ? { recovery_ms: toMetric("recovery_ms", recoveryMs) } : {}
        },
        samples: load2.samples,
        params: {
          workers,
          iterations,
          terminated_backends: timeline.terminated,
          load_calls_after_restart: loadCallsAfter,
          errors: load2.metrics.failed.value
        }
      };
    }
  };
}
__name(backendRestart, "backendRestart");
async function within(promise, ms) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(void 0), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
__name(within, "within");
function failsInBlackHole(outcome, capMs) {
  const expected = `fails within ${capMs} ms (DATABASE_OPERATION_TIMEOUT)`;
  if (outcome === void 0) return check("fails_rather_than_hangs", false, `no answer after ${capMs} ms`, expected);
  if (outcome.error === void 0) return check("fails_rather_than_hangs", false, `succeeded after ${outcome.ms} ms`, expected);
  return check("fails_rather_than_hangs", outcome.ms <= capMs, outcome.ms, expected);
}
__name(failsInBlackHole, "failsInBlackHole");
async function callThroughBlackHole(proxy, call, capMs) {
  await proxy.setMode({ kind: "blackhole" });
  const pending = timeOutcome(call);
  const inHole = await within(pending, capMs);
  await proxy.setMode({ kind: "pass" });
  if (inHole === void 0 && await within(pending, capMs) === void 0) proxy.resetAll();
  await pending;
  const healed = await within(timeOutcome(call), capMs) ?? { error: new Error(`no answer within ${capMs} ms once healed`), ms: capMs };
  return { inHole, healed };
}
__name(callThroughBlackHole, "callThroughBlackHole");
function blackHole(spec, state) {
  return {
    id: `retry.${spec.id}.black_hole`,
    category: "retry",
    params: {},
    async run(ctx) {
      const capMs = ctx.settings.operationTimeoutSeconds * 1e3;
      const { proxy, db } = await openProxiedPoolOfOne(ctx);
      const call = boundCall(db, state, ctx.random, spec.operation);
      const sampler = watchPool(db);
      ctx.step("a call before the black hole");
      const before = await timeOutcome(call);
      ctx.step(`a call on a connection the proxy black-holes (cap ${capMs} ms)`);
      const { inHole, healed } = await callThroughBlackHole(proxy, call, capMs);
      const end = await waitForPoolIdle(db);
      const peaks = sampler.stop();
      const failedInHole = inHole !== void 0 && inHole.error !== void 0;
      return {
        checks: [
          check("succeeds_before_black_hole", before.error === void 0, before.error === void 0 ? "succeeded" : String(before.error), "succeeded"),
          failsInBlackHole(inHole, capMs),
          check("succeeds_once_healed", healed.error === void 0, healed.error === void 0 ? healed.ms : String(healed.error), "succeeded"),
          ...poolChecks(end, peaks)
        ],
        metrics: {
          ...scenarioMetrics(db, peaks),
          ...failedInHole ? { timeout_ms: toMetric("timeout_ms", inHole.ms) } : {}
        },
        params: { cap_ms: capMs, acquire_timeout_ms: db.settings.pool.timeoutSeconds * 1e3 }
      };
    }
  };
}
__name(blackHole, "blackHole");
function faultsTemplate(spec, state) {
  return [transientFailures(spec, state), backendRestart(spec, state), blackHole(spec, state)];
}
__name(faultsTemplate, "faultsTemplate");

// src/project/templates/leak-checks.ts
var CLEANUP_CHECK_NAMES = cleanupChecks({ opened: 0, closed: 0, leaked: 0, open: 0 }, { inUse: 0 }).map((c) => c.name);
function withLeakChecks(definition) {
  return {
    ...definition,
    async run(ctx) {
      const before = openSessionWindow(ctx.db);
      const outcome = await definition.run(ctx);
      const made = new Set(outcome.checks.map((c) => c.name));
      if (CLEANUP_CHECK_NAMES.every((name) => made.has(name))) return outcome;
      ctx.step("checking that the sessions the scenario opened were closed");
      const window = await closeSessionWindow(ctx.db, before);
      return {
        ...outcome,
        checks: [...outcome.checks, ...window.checks.filter((c) => !made.has(c.name))],
        metrics: { ...window.metrics, ...outcome.metrics }
      };
    }
  };
}
__name(withLeakChecks, "withLeakChecks");

// src/project/templates/load-template.ts
function operationThenPid(spec, state) {
  return (ctx) => async () => {
    let pid = Number.NaN;
    const thenAsk = /* @__PURE__ */ __name(async (call) => {
      await spec.operation(call);
      pid = await backendPid(call.em);
    }, "thenAsk");
    await callOperation(ctx.db, state, ctx.random, thenAsk);
    return pid;
  };
}
__name(operationThenPid, "operationThenPid");
function loadTemplate(spec, state) {
  const call = /* @__PURE__ */ __name((ctx, db) => boundCall(db, state, ctx.random, spec.operation), "call");
  const prefix = `pooling.${spec.id}`;
  return [
    sharedLoadScenario({ id: `${prefix}.normal_load`, concurrency: 20, iterations: 10, maxErrorRate: 0.01, expectQueueing: false, call }),
    sharedLoadScenario({ id: `${prefix}.high_load`, concurrency: 100, iterations: 5, maxErrorRate: 0.05, expectQueueing: "over-pool-max", call }),
    recyclingScenario(`${prefix}.recycling`, operationThenPid(spec, state)),
    exhaustionScenario(`${prefix}.exhaustion`)
  ];
}
__name(loadTemplate, "loadTemplate");

// src/project/templates/sessions-template.ts
var MAX_HEAP_GROWTH_MB = 50;
var PEAK_HEAP_SAMPLE_MS = 5;
var FAILING_CALLS = 16;
var MIN_FAILING_CALLS = 2;
var CONCURRENT_CALLS = 20;
function memoryStability(spec, state) {
  return {
    id: `sessions.${spec.id}.memory_stability`,
    category: "sessions",
    params: {},
    async run(ctx) {
      const batchSize = memoryBatchSize(ctx);
      const before = openSessionWindow(ctx.db);
      const recorder = new LatencyRecorder();
      const peak = trackPeakHeap(PEAK_HEAP_SAMPLE_MS);
      ctx.step(`10 batches of ${batchSize} calls, memory read after a settled GC`);
      const { start, after, peaks, loadMs } = await runBatches(ctx, batchSize, recorder, boundCall(ctx.db, state, ctx.random, spec.operation));
      const peakHeapMb = peak.stop();
      const window = await closeSessionWindow(ctx.db, before);
      const end = after[after.length - 1] ?? start;
      const heapGrowthMb = end.heapMb - start.heapMb;
      return {
        checks: [
          check("all_operations_succeeded", recorder.failed === 0, recorder.failed, "0 failed"),
          check("heap_growth_below_50_mb", heapGrowthMb < MAX_HEAP_GROWTH_MB, heapGrowthMb, `< ${MAX_HEAP_GROWTH_MB} MB (V8 heap after a settled GC)`),
          ...window.checks
        ],
        metrics: {
          ...recorder.metrics(loadMs),
          ...readResourceMetrics(ctx.db, peaks),
          ...window.metrics,
          heap_growth_mb: toMetric("heap_growth_mb", heapGrowthMb),
          memory_growth_mb: toMetric("memory_growth_mb", end.rssMb - start.rssMb),
          peak_heap_mb: toMetric("peak_heap_mb", peakHeapMb)
        },
        samples: recorder.samples(),
        params: { operations: batchSize * after.length, batches: after.length, batch_size: batchSize, ...batchParams(start, after) }
      };
    }
  };
}
__name(memoryStability, "memoryStability");
async function runFailingCalls(ctx, state, spec, calls, recorder) {
  const seen = { raised: 0, xids: [] };
  const thenFail = /* @__PURE__ */ __name(async (call) => {
    await spec.operation(call);
    const rows = await call.em.execute("select txid_current()::text as xid");
    if (rows[0]) seen.xids.push(rows[0].xid);
    throw new InjectedError("perf-gate failed the transaction after the operation");
  }, "thenFail");
  for (let i = 0; i < calls; i++) {
    const outcome = await recorder.measure(() => callInTransaction(ctx.db, state, ctx.random, thenFail, 1));
    if (outcome.kind === "error" && outcome.error instanceof InjectedError) seen.raised++;
  }
  return seen;
}
__name(runFailingCalls, "runFailingCalls");
async function countAborted(ctx, xids) {
  let aborted = 0;
  for (const xid of xids) {
    const rows = await ctx.db.withSession((s) => s.em.execute("select txid_status(?::bigint) as status", [xid]));
    if (rows[0]?.status === "aborted") aborted++;
  }
  return aborted;
}
__name(countAborted, "countAborted");
function exceptionCleanup(spec, state) {
  return {
    id: `sessions.${spec.id}.exception_cleanup`,
    category: "sessions",
    params: { calls: FAILING_CALLS },
    async run(ctx) {
      const calls = ctx.scaled(FAILING_CALLS, MIN_FAILING_CALLS);
      const before = openSessionWindow(ctx.db);
      const recorder = new LatencyRecorder();
      ctx.step(`${calls} calls in a transaction failed after the operation`);
      const seen = await runFailingCalls(ctx, state, spec, calls, recorder);
      const window = await closeSessionWindow(ctx.db, before);
      const aborted = await countAborted(ctx, seen.xids);
      return {
        checks: [
          check("errors_reach_caller", seen.raised === calls, `marked_error ${seen.raised}/${calls}`, `${calls}/${calls}`),
          check("transactions_rolled_back", aborted === calls, `${aborted} of ${calls} aborted`, `${calls} of ${calls} (txid_status 'aborted')`),
          ...window.checks
        ],
        metrics: { ...recorder.metrics(), ...readResourceMetrics(ctx.db), ...window.metrics },
        samples: recorder.samples(),
        params: { calls }
      };
    }
  };
}
__name(exceptionCleanup, "exceptionCleanup");
function sessionsTemplate(spec, state) {
  return [
    memoryStability(spec, state),
    exceptionCleanup(spec, state),
    concurrentSessionsScenario({
      id: `sessions.${spec.id}.concurrent`,
      concurrency: CONCURRENT_CALLS,
      iterations: 1,
      minIterations: 1,
      operation: /* @__PURE__ */ __name((ctx) => boundCall(ctx.db, state, ctx.random, spec.operation), "operation")
    })
  ];
}
__name(sessionsTemplate, "sessionsTemplate");

// src/project/templates/sizes-template.ts
var DEFAULT_PAGE_SIZES = [10, 25, 50, 100];
var DEFAULT_BATCH_SIZES = [10, 50, 100];
var MIN_COMPARISON_ROUNDS = 40;
var sizedCall = /* @__PURE__ */ __name((ctx, state, spec, size) => () => callSized(ctx.db, state, ctx.random, spec.operation, size), "sizedCall");
async function pageChecks(ctx, state, spec, sizes2) {
  const variants = sizes2.map((size) => ({ key: String(size), operation: sizedCall(ctx, state, spec, size) }));
  const recorders = await compareInterleaved(variants, ctx.random, { seconds: ctx.options.benchmarkMaxSeconds, minRounds: MIN_COMPARISON_ROUNDS });
  const median = /* @__PURE__ */ __name((size) => callFigures(recorders.get(String(size))).p50Ms, "median");
  const smallest = sizes2[0];
  const largest = sizes2[sizes2.length - 1];
  const perRow = median(largest) / largest / (median(smallest) / smallest);
  const checks = [limitCheck("per_row_not_degraded", perRow, 1, `median per-row time at ${largest} / at ${smallest}`)];
  if (sizes2.length > 2) {
    const linearity = chordRatio(sizes2.map((size) => ({ size, ms: median(size) })));
    checks.push(limitCheck("scales_linearly", linearity, 1 + LINEARITY_TOLERANCE, `line from ${smallest} to ${largest} rows / median time, worst size between`));
  }
  return checks;
}
__name(pageChecks, "pageChecks");
var oneByOneKey = /* @__PURE__ */ __name((id, size) => `${id}.one_by_one:${size}`, "oneByOneKey");
function oneByOneCall(ctx, state, spec, size) {
  const one = spec.oneByOne;
  return async () => {
    for (let i = 0; i < size; i += 1) await callOperation(ctx.db, state, ctx.random, one);
  };
}
__name(oneByOneCall, "oneByOneCall");
async function measureOneByOne(ctx, state, spec, size) {
  const id = `bench.${oneByOneKey(spec.id, size)}`;
  const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), oneByOneCall(ctx, state, spec, size));
  keepReference(ctx.db, oneByOneKey(spec.id, size), measured.recorder);
  return measured;
}
__name(measureOneByOne, "measureOneByOne");
function pageScenario(spec, state, size, sizes2) {
  const id = `bench.${spec.id}:${size}`;
  const largest = size === sizes2[sizes2.length - 1];
  return {
    id,
    category: "bench",
    params: { size },
    async run(ctx) {
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), sizedCall(ctx, state, spec, size));
      const checks = largest && ctx.options.sideMeasurements !== false ? await pageChecks(ctx, state, spec, sizes2) : [];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    }
  };
}
__name(pageScenario, "pageScenario");
function batchScenarios(spec, state, size) {
  const id = `bench.${spec.id}:${size}`;
  const oneByOne = {
    id: `bench.${oneByOneKey(spec.id, size)}`,
    category: "bench",
    params: { size },
    async run(ctx) {
      const measured = await measureOneByOne(ctx, state, spec, size);
      return benchOutcome(ctx, measured, { metrics: withPerItem({}, measured.recorder, size) });
    }
  };
  const batch = {
    id,
    category: "bench",
    params: { size },
    async run(ctx) {
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), sizedCall(ctx, state, spec, size));
      const single = await recallOrMeasure(
        ctx.db,
        oneByOneKey(spec.id, size),
        async () => callFigures((await measureOneByOne(ctx, state, spec, size)).recorder)
      );
      const ratio = callFigures(measured.recorder).p50Ms / single.p50Ms;
      const checks = [limitCheck("batch_beats_one_by_one", ratio, 1, `median time of a batch of ${size} / ${size} calls one by one`, true)];
      return benchOutcome(ctx, measured, { checks, metrics: withPerItem({}, measured.recorder, size) });
    }
  };
  return [oneByOne, batch];
}
__name(batchScenarios, "batchScenarios");
function sizesTemplate(spec, state) {
  const sizes2 = [...spec.sizes ?? (spec.oneByOne ? DEFAULT_BATCH_SIZES : DEFAULT_PAGE_SIZES)].sort((a, b) => a - b);
  if (spec.oneByOne) return sizes2.flatMap((size) => batchScenarios(spec, state, size));
  return sizes2.map((size) => pageScenario(spec, state, size, sizes2));
}
__name(sizesTemplate, "sizesTemplate");

// src/project/templates/transaction-template.ts
var COMPARISON_SHARE = 0.5;
var MIN_ROUNDS = 7;
var transactionCall = /* @__PURE__ */ __name((ctx, state, spec, size) => () => callInTransaction(ctx.db, state, ctx.random, spec.operation, size), "transactionCall");
async function commitOverhead(ctx, state, spec, size) {
  const variants = [1, size].map((n) => ({ key: String(n), operation: transactionCall(ctx, state, spec, n) }));
  const budget = { seconds: ctx.options.benchmarkMaxSeconds * COMPARISON_SHARE, minRounds: MIN_ROUNDS };
  const recorders = await compareInterleaved(variants, ctx.random, budget);
  const overhead = commitOverheadMs(callFigures(recorders.get("1")).p50Ms, callFigures(recorders.get(String(size))).p50Ms, size);
  return Number.isFinite(overhead) ? { commit_overhead_ms: toMetric("commit_overhead_ms", overhead) } : {};
}
__name(commitOverhead, "commitOverhead");
function transactionTemplate(spec, state) {
  const sizes2 = spec.sizes ?? TRANSACTION_SIZES;
  return sizes2.map((size) => {
    const id = `bench.${spec.id}:${size}`;
    return {
      id,
      category: "bench",
      params: { operations: size },
      async run(ctx) {
        const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), transactionCall(ctx, state, spec, size));
        const overhead = size > 1 && ctx.options.sideMeasurements !== false ? await commitOverhead(ctx, state, spec, size) : {};
        return benchOutcome(ctx, measured, { metrics: withPerItem(overhead, measured.recorder, size) });
      }
    };
  });
}
__name(transactionTemplate, "transactionTemplate");

// src/project/templates/index.ts
function expand(spec, state) {
  switch (spec.template) {
    case "bench":
      return benchTemplate(spec, state);
    case "sizes":
      return sizesTemplate(spec, state);
    case "concurrency":
      return concurrencyTemplate(spec, state);
    case "transaction":
      return transactionTemplate(spec, state);
    case "load":
      return loadTemplate(spec, state);
    case "sessions":
      return sessionsTemplate(spec, state);
    case "faults":
      return faultsTemplate(spec, state);
    default:
      throw new ProjectError(`unknown template '${spec.template}' (expected bench, sizes, concurrency, transaction, load, sessions or faults)`);
  }
}
__name(expand, "expand");
function projectScenarios(specs, state) {
  const seen = /* @__PURE__ */ new Map();
  const all = [];
  for (const spec of specs) {
    for (const definition of expand(spec, state)) {
      const from = `${spec.template}('${spec.id}')`;
      const earlier = seen.get(definition.id);
      if (earlier) throw new ProjectError(`two scenarios have the id '${definition.id}': ${earlier} and ${from}; give one of them another id`);
      seen.set(definition.id, from);
      all.push(withLeakChecks(definition));
    }
  }
  return CATEGORIES.flatMap((category) => all.filter((d) => d.category === category));
}
__name(projectScenarios, "projectScenarios");

// src/run/project-calibrate.ts
var CALIBRATION_TABLE = "perf_gate_calibration";
var ROUNDS = 300;
var WARM_UP = 50;
function summarize(samples) {
  return { avg: meanOf(samples), p50: percentileOf(samples, 50), p95: percentileOf(samples, 95), n: samples.length };
}
__name(summarize, "summarize");
async function timeOnce(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
__name(timeOnce, "timeOnce");
async function createCalibrationTable(db) {
  await db.withSession((s) => s.em.execute(`create table if not exists ${CALIBRATION_TABLE} (id serial primary key, note text not null)`));
}
__name(createCalibrationTable, "createCalibrationTable");
async function calibrateProject(db, rawUrl) {
  const client = new esm_default.Client({ connectionString: rawUrl, application_name: "perf-gate-calibration" });
  await client.connect();
  client.on("error", () => void 0);
  const samples = { selectOne: [], rawGet: [], repoGet: [], rawInsert: [], repoInsert: [] };
  const insert = `insert into ${CALIBRATION_TABLE} (note) values ($1)`;
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await client.query("select $1::int", [i]);
      await db.read((s) => s.em.execute("select ?::int as n", [i]));
    }
    for (let i = 0; i < ROUNDS; i++) {
      samples.selectOne.push(await timeOnce(() => client.query("select 1")));
      samples.rawGet.push(await timeOnce(() => client.query("select $1::int", [i])));
      samples.repoGet.push(await timeOnce(() => db.read((s) => s.em.execute("select ?::int as n", [i]))));
      if (i % 3 === 0) {
        samples.rawInsert.push(await timeOnce(() => client.query(insert, [`raw ${i}`])));
        samples.repoInsert.push(await timeOnce(() => db.write((s) => s.em.execute(insert.replace("$1", "?"), [`repo ${i}`]))));
      }
    }
  } finally {
    await client.end().catch(() => void 0);
  }
  return {
    rawSelectOne: summarize(samples.selectOne),
    rawGetById: summarize(samples.rawGet),
    repoGetById: summarize(samples.repoGet),
    rawInsert: summarize(samples.rawInsert),
    repoInsert: summarize(samples.repoInsert)
  };
}
__name(calibrateProject, "calibrateProject");

// src/run/project-subject.ts
var NO_SEED = Object.freeze({ users: 0, live: [], deleted: [], domains: [], midpoint: /* @__PURE__ */ new Date(0) });
function asProjectLayer(db) {
  if (!(db instanceof ProjectLayer)) throw new Error("a project subject prepares only its own data layer");
  return db;
}
__name(asProjectLayer, "asProjectLayer");
async function seedProject(project, layer, size) {
  const random = createRandom(size.seed);
  const { seeder, seed } = project.config;
  if (seeder) {
    await layer.withSession(async (s) => {
      await new seeder().run(s.em, { seed: size.seed, random, rows: size.rows });
      await s.em.flush();
    });
  }
  if (!seed) return void 0;
  return layer.write((s) => Promise.resolve(seed({ em: s.em, random, seed: size.seed, rows: size.rows })));
}
__name(seedProject, "seedProject");
function projectSubject(project) {
  const state = { data: void 0, app: void 0 };
  const source = project.source;
  let built = false;
  return {
    description: `${project.perfFile} (MikroORM ${source.modules.version}, config ${project.configFrom})`,
    scenarios: projectScenarios(project.specs, state),
    openDataLayer: /* @__PURE__ */ __name((settings) => ProjectLayer.open(source, settings), "openDataLayer"),
    tuning: /* @__PURE__ */ __name((run) => tuningFromOptions(source.options, { ...DEFAULT_DB_SETTINGS, operationTimeoutSeconds: run.operationTimeoutSeconds }, source.modules.version), "tuning"),
    async prepare(db, size, log) {
      const layer = asProjectLayer(db);
      state.data = await seedProject(project, layer, size);
      log(`seeded (seed ${size.seed}, rows ${size.rows})`);
      await createCalibrationTable(layer);
      await layer.withSession((s) => s.em.execute("vacuum analyze"));
      const setup = project.config.setup;
      if (setup) {
        state.app = await setup({ orm: layer.orm, data: state.data, databaseUrl: layer.settings.url });
        built = true;
      }
      return NO_SEED;
    },
    calibrate: /* @__PURE__ */ __name((db, rawUrl) => calibrateProject(db, rawUrl), "calibrate"),
    openReference: /* @__PURE__ */ __name(async () => void 0, "openReference"),
    async close() {
      if (built && project.config.teardown) await project.config.teardown(state.app);
      built = false;
    }
  };
}
__name(projectSubject, "projectSubject");

export {
  loadProject,
  projectSubject
};
