import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  OWN_SUBJECT,
  PROTOCOL_VERSION,
  TOOL_VERSION,
  createRandom,
  createScratchDatabase,
  encodeMessage,
  findDatabaseUrlSecrets,
  loadProject,
  parseRequest,
  projectSubject,
  readFingerprint,
  redactSecrets,
  runCostPass,
  runScenario,
  toError
} from "./chunks/chunk-PXVC3TU4.js";
import "./chunks/chunk-PRQL3RQO.js";
import "./chunks/chunk-LJWXVPSN.js";
import {
  __name
} from "./chunks/chunk-I5MUDD6B.js";

// src/worker.ts
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// src/duet/worker.ts
import { createHash as createHash2 } from "node:crypto";
import { createInterface } from "node:readline";

// src/duet/definition-hash.ts
import { createHash } from "node:crypto";
function normaliseFunctionText(text) {
  return text.replace(/\b([A-Za-z_$][\w$]*?)\d+\b/g, "$1").replace(/\s+/g, " ").trim();
}
__name(normaliseFunctionText, "normaliseFunctionText");
function stableParams(params) {
  return JSON.stringify(Object.keys(params).sort().map((key) => [key, params[key]]));
}
__name(stableParams, "stableParams");
function hashDefinition(definition) {
  const parts = [definition.id, definition.category, stableParams(definition.params), normaliseFunctionText(definition.run.toString())];
  if (definition.source !== void 0) parts.push(normaliseFunctionText(definition.source));
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}
__name(hashDefinition, "hashDefinition");

// src/duet/worker-session.ts
function describeServer(url) {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}
__name(describeServer, "describeServer");
var WorkerSession = class _WorkerSession {
  constructor(scratch, subject, db, seed, fingerprint, setupMs, database, calibration) {
    this.scratch = scratch;
    this.subject = subject;
    this.db = db;
    this.seed = seed;
    this.fingerprint = fingerprint;
    this.setupMs = setupMs;
    this.database = database;
    this.calibration = calibration;
  }
  scratch;
  subject;
  db;
  seed;
  fingerprint;
  setupMs;
  database;
  calibration;
  static {
    __name(this, "WorkerSession");
  }
  static async open(request, subject, log) {
    const started = performance.now();
    const scratch = await createScratchDatabase(request.serverUrl, request.databasePrefix);
    const database = `database ${scratch.name} on ${describeServer(request.serverUrl)}`;
    log(database);
    let db;
    try {
      db = await subject.openDataLayer({ ...subject.tuning(request.settings), url: scratch.url });
      const applied = await db.migrate();
      log(`migrations applied: ${applied.join(", ") || "none"}`);
      const seed = await subject.prepare(db, { seed: request.seed, rows: request.seedUsers }, log);
      const fingerprint = await readFingerprint(db);
      const setupMs = performance.now() - started;
      const calibration = request.calibrate ? await subject.calibrate(db, scratch.url, seed, `duet_${request.seed}`) : void 0;
      return new _WorkerSession(scratch, subject, db, seed, fingerprint, setupMs, database, calibration);
    } catch (error) {
      await subject.close().catch(() => void 0);
      await db?.close().catch(() => void 0);
      await scratch.drop().catch(() => void 0);
      throw error;
    }
  }
  /** Closes the data layer and drops the scratch database. */
  async close() {
    try {
      await this.subject.close();
      await this.db.close();
    } finally {
      await this.scratch.drop();
    }
  }
};

// src/duet/worker-test-regression.ts
function readTestRegression(env) {
  const text = env.PERF_GATE_WORKER_TEST_REGRESSION ?? "";
  const trip = /^extra-round-trip:(.+)$/.exec(text);
  if (trip) return { kind: "extra-round-trip", scenarioId: trip[1] };
  const busy = /^busy-wait:([1-9]\d*):(.+)$/.exec(text);
  return busy ? { kind: "busy-wait", microseconds: Number(busy[1]), scenarioId: busy[2] } : void 0;
}
__name(readTestRegression, "readTestRegression");
function busyWait(microseconds) {
  const until = performance.now() + microseconds / 1e3;
  while (performance.now() < until) {
  }
}
__name(busyWait, "busyWait");
function applyTestRegression(db, regression, id) {
  if (regression?.scenarioId !== id) return db;
  const extra = regression.kind === "busy-wait" ? () => Promise.resolve(busyWait(regression.microseconds)) : (session) => session.em.getConnection().execute("select 1").then(() => void 0);
  return {
    get settings() {
      return db.settings;
    },
    get sessions() {
      return db.sessions;
    },
    get resilience() {
      return db.resilience;
    },
    withSession: /* @__PURE__ */ __name((fn, options) => db.withSession(fn, options), "withSession"),
    read: /* @__PURE__ */ __name((fn, options) => db.read(async (session) => {
      const result = await fn(session);
      await extra(session);
      return result;
    }, options), "read"),
    write: /* @__PURE__ */ __name((fn, options) => db.write(fn, options), "write"),
    poolStats: /* @__PURE__ */ __name(() => db.poolStats(), "poolStats"),
    migrate: /* @__PURE__ */ __name(() => db.migrate(), "migrate"),
    close: /* @__PURE__ */ __name(() => db.close(), "close")
  };
}
__name(applyTestRegression, "applyTestRegression");

// src/duet/worker.ts
var MIN_ROUND_BENCH_SECONDS = 5e-3;
var MIN_ROUND_SCALE = 0.01;
var SILENT_PROGRESS = {
  scenarioStarted: /* @__PURE__ */ __name(() => void 0, "scenarioStarted"),
  scenarioFinished: /* @__PURE__ */ __name(() => void 0, "scenarioFinished"),
  categoryFinished: /* @__PURE__ */ __name(() => void 0, "categoryFinished"),
  close: /* @__PURE__ */ __name(() => void 0, "close")
};
function scaleSuiteOptions(suite, share, round = 0) {
  return {
    ...suite,
    scale: Math.max(MIN_ROUND_SCALE, suite.scale * share),
    benchmarkMaxSeconds: Math.max(MIN_ROUND_BENCH_SECONDS, suite.benchmarkMaxSeconds * share),
    benchRunner: "block",
    // Measurements beside the scenario's calls cost the same whatever the share: the first round only.
    sideMeasurements: round === 0
  };
}
__name(scaleSuiteOptions, "scaleSuiteOptions");
function roundSeed(seed, id, round) {
  return (seed ^ createHash2("sha256").update(`${id}#${round}`).digest().readUInt32BE(0)) >>> 0;
}
__name(roundSeed, "roundSeed");
function readTestFault(env) {
  const match = /^(crash|hang):(.+)$/.exec(env.PERF_GATE_WORKER_TEST_FAULT ?? "");
  return match ? { kind: match[1], scenarioId: match[2] } : void 0;
}
__name(readTestFault, "readTestFault");
async function injectTestFault(fault, id) {
  if (fault?.scenarioId !== id) return;
  if (fault.kind === "crash") {
    setTimeout(() => process.exit(70), 100);
  } else {
    setInterval(() => void 0, 6e4);
  }
  await new Promise(() => void 0);
}
__name(injectTestFault, "injectTestFault");
var Worker = class {
  constructor(io, options) {
    this.io = io;
    this.options = options;
    this.byId = new Map(options.subject.scenarios.map((d) => [d.id, d]));
  }
  io;
  options;
  static {
    __name(this, "Worker");
  }
  started;
  secrets = [];
  byId;
  send(reply) {
    this.io.send(redactSecrets(encodeMessage(reply), this.secrets));
  }
  log(line) {
    this.io.log(redactSecrets(line, this.secrets));
  }
  hello() {
    const scenarios = this.options.subject.scenarios.map((d) => ({
      id: d.id,
      category: d.category,
      params: { ...d.params },
      definitionHash: hashDefinition(d)
    }));
    this.send({ type: "hello", protocol: PROTOCOL_VERSION, toolVersion: this.options.toolVersion, scenarios });
  }
  /** Handles one request line; returns true once the worker should exit. */
  async handle(text, line) {
    let request;
    try {
      request = parseRequest(text, { stream: "the worker's input", line });
    } catch (error) {
      this.send({ type: "error", message: toError(error).message });
      return false;
    }
    switch (request.type) {
      case "start":
        await this.start(request);
        return false;
      case "cost":
        await this.countCost(request);
        return false;
      case "run":
        await this.run(request);
        return false;
      case "stop":
        await this.close();
        this.send({ type: "stopped" });
        return true;
    }
  }
  async start(request) {
    if (this.started) {
      this.send({ type: "error", message: `'start' was already answered (${this.started.session.database}); send 'run' or 'stop'` });
      return;
    }
    this.secrets = findDatabaseUrlSecrets(request.serverUrl);
    let session;
    try {
      session = await WorkerSession.open(request, this.options.subject, (line) => this.log(line));
    } catch (error) {
      this.send({ type: "error", message: `setup failed: ${toError(error).message}` });
      return;
    }
    this.started = { session, seed: request.seed, suite: request.suite };
    const { fingerprint, setupMs, database, calibration } = session;
    this.send({ type: "ready", fingerprint, setupMs, database, ...calibration ? { calibration } : {} });
  }
  /** The cost pass on the prepared database; the test regression applies to it as to the rounds. */
  async countCost(request) {
    if (!this.started) {
      this.send({ type: "error", message: "'cost' before 'start': send 'start' first" });
      return;
    }
    const { session } = this.started;
    const regression = this.options.testRegression;
    try {
      const cost = await runCostPass({
        subject: this.options.subject,
        db: session.db,
        seed: session.seed,
        selected: new Set(request.scenarios),
        log: /* @__PURE__ */ __name((line) => this.log(line), "log"),
        wrap: /* @__PURE__ */ __name((db, id) => applyTestRegression(db, regression, id), "wrap")
      });
      this.send({ type: "cost", cost: cost ?? null });
    } catch (error) {
      this.send({ type: "error", message: `cost pass failed: ${toError(error).message}` });
    }
  }
  async run(request) {
    const definition = this.byId.get(request.id);
    if (!this.started) {
      this.send({ type: "error", message: `'run' of '${request.id}' before 'start': send 'start' first` });
      return;
    }
    if (!definition) {
      this.send({ type: "error", message: `'run' names scenario '${request.id}', which this worker does not have (its hello lists ${this.byId.size})` });
      return;
    }
    await injectTestFault(this.options.testFault, request.id);
    const { session, seed, suite } = this.started;
    const result = await runScenario(definition, {
      db: applyTestRegression(session.db, this.options.testRegression, request.id),
      openDataLayer: this.options.subject.openDataLayer,
      seed: session.seed,
      ...this.options.subject.shared(session.seed),
      random: createRandom(roundSeed(seed, request.id, request.round)),
      options: scaleSuiteOptions(suite, request.share, request.round),
      progress: SILENT_PROGRESS,
      // The scenario's first round starts without the garbage of the one before; later rounds
      // would only collect their own scenario's, at about 100 ms a round.
      settleGcBefore: request.round === 0
    });
    this.send({ type: "result", id: request.id, round: request.round, result });
  }
  async close() {
    const started = this.started;
    this.started = void 0;
    await started?.session.close();
  }
};
async function runWorker(io, options) {
  const worker = new Worker(io, options);
  worker.hello();
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === "") continue;
      if (await worker.handle(text, line)) return 0;
    }
    worker.log("input closed without a stop request; dropping the database");
    return 0;
  } finally {
    lines.close();
    await worker.close().catch((error) => worker.log(`could not drop the database: ${toError(error).message}`));
  }
}
__name(runWorker, "runWorker");
async function startWorkerProcess(options) {
  const protocolOut = process.stdout.write.bind(process.stdout);
  const logOut = process.stderr.write.bind(process.stderr);
  process.stdout.write = logOut;
  const code = await runWorker(
    {
      input: process.stdin,
      send: /* @__PURE__ */ __name((line) => void protocolOut(line), "send"),
      log: /* @__PURE__ */ __name((line) => void logOut(`${line}
`), "log")
    },
    options
  ).catch((error) => {
    logOut(`worker failed: ${toError(error).message}
`);
    return 1;
  });
  protocolOut("", () => process.exit(code));
}
__name(startWorkerProcess, "startWorkerProcess");

// src/worker.ts
async function readSubject(argv) {
  const { values } = parseArgs({ args: argv, options: { project: { type: "string" }, perf: { type: "string" } }, strict: true });
  if (values.project === void 0) return OWN_SUBJECT;
  const built = fileURLToPath(new URL("./ts-hooks.js", import.meta.url));
  const hooksFile = existsSync(built) ? built : fileURLToPath(new URL("./ts-hooks.ts", import.meta.url));
  const project = await loadProject({
    projectDir: values.project,
    ...values.perf !== void 0 ? { perfFile: values.perf } : {},
    hooksFile,
    ...process.env.MIKRO_ORM_CLI_CONFIG ? { configFromEnv: process.env.MIKRO_ORM_CLI_CONFIG } : {}
  });
  if (!project) throw new Error(`no perf file in ${values.project}`);
  return projectSubject(project);
}
__name(readSubject, "readSubject");
readSubject(process.argv.slice(2)).then(
  (subject) => startWorkerProcess({
    subject,
    toolVersion: TOOL_VERSION,
    testFault: readTestFault(process.env),
    testRegression: readTestRegression(process.env)
  }),
  (error) => {
    process.stderr.write(`worker could not load its subject: ${error instanceof Error ? error.message : String(error)}
`);
    process.exit(1);
  }
);
