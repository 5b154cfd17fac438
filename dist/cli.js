#!/usr/bin/env node
import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  DEFAULT_COMMENT_KEY,
  DEFAULT_ROUNDS,
  DEFAULT_RUN_SIZE,
  MAX_COMMENT_BYTES,
  ROUNDS_BOUNDS,
  SCALE_BOUNDS,
  SEED_BOUNDS,
  SEED_USERS_BOUNDS,
  buildCommentMarker,
  compareToBaseline,
  describeBounds,
  escapeConsole,
  findUnstorableReason,
  formatComparisonJson,
  isScenarioId,
  loadThresholds,
  parseBoundedNumber,
  parseThresholds,
  readEnvSettings,
  readResults,
  renderConsole,
  renderMarkdown,
  resolveSettings,
  runDuetCommand,
  runGate,
  selectScenarios,
  signalExitCode,
  splitList,
  stopEmbeddedServers,
  validateResults,
  writeResults
} from "./chunks/chunk-ET54RVFZ.js";
import {
  OWN_SUBJECT,
  TOOL_VERSION,
  createProgress,
  createSeed,
  describeError,
  findDatabaseUrlSecrets,
  loadProject,
  projectSubject,
  redactSecrets
} from "./chunks/chunk-PXVC3TU4.js";
import "./chunks/chunk-PRQL3RQO.js";
import "./chunks/chunk-LJWXVPSN.js";
import {
  __name
} from "./chunks/chunk-I5MUDD6B.js";

// src/cli.ts
import { existsSync as existsSync3 } from "node:fs";
import { fileURLToPath } from "node:url";

// src/cli/compare-command.ts
import { existsSync } from "node:fs";
import { stat, writeFile as writeFile2 } from "node:fs/promises";
import { parseArgs } from "node:util";

// src/publish/local-store.ts
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
var SUFFIX = ".json";
function toFileTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`startedAt must be an ISO date, got '${iso}'`);
  return date.toISOString().replace(/[-:.]/g, "");
}
__name(toFileTime, "toFileTime");
function toFileName(key, attempt) {
  const sha = key.sha.replace(/[^0-9A-Za-z]/g, "") || "unknown";
  const extra = attempt === 0 ? "" : `~${attempt}`;
  const branch = encodeURIComponent(key.branch).replace(/~/g, "%7E");
  return `${branch}~${toFileTime(key.startedAt)}~${sha}${extra}${SUFFIX}`;
}
__name(toFileName, "toFileName");
function parseFileName(name) {
  if (!name.endsWith(SUFFIX)) return null;
  const [branch, time, sha] = name.slice(0, -SUFFIX.length).split("~");
  if (!branch || !time || !sha) return null;
  try {
    return { name, branch: decodeURIComponent(branch), time, sha };
  } catch {
    return null;
  }
}
__name(parseFileName, "parseFileName");
var LocalDirectoryStore = class {
  constructor(directory) {
    this.directory = directory;
    this.description = `local directory ${directory}`;
  }
  directory;
  static {
    __name(this, "LocalDirectoryStore");
  }
  description;
  /** The branch's stored files, newest first. */
  async listBranch(branch) {
    let names;
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (error.code === "ENOENT") return [];
      throw error;
    }
    return names.map(parseFileName).filter((file) => file !== null && file.branch === branch).sort((a, b) => a.time === b.time ? b.name.localeCompare(a.name) : b.time.localeCompare(a.time));
  }
  /**
   * Reads one stored file: the document, or why it cannot be used (above the results cap, not JSON,
   * a forbidden key, not a valid results document).
   */
  async readStored(file) {
    const location = join(this.directory, file.name);
    try {
      return await readResults(location);
    } catch (error) {
      return { location, reason: describeError(error) };
    }
  }
  /** Reads valid documents from `files` in order until `limit`, collecting the unusable ones. */
  async readUpTo(files, limit) {
    const history = { runs: [], skipped: [] };
    for (const file of files) {
      if (history.runs.length >= limit) break;
      const stored = await this.readStored(file);
      if ("reason" in stored) history.skipped.push(stored);
      else history.runs.push(stored);
    }
    return history;
  }
  /**
   * The newest `limit` runs of the branch; with `shas`, only runs of those commits (the base branch up to
   * the merge base), falling back to the newest runs when none of them was stored.
   */
  async readHistory(query) {
    const files = await this.listBranch(query.branch);
    if (query.shas !== void 0) {
      const wanted = new Set(query.shas);
      const matching = files.filter((file) => wanted.has(file.sha));
      if (matching.length > 0) return this.readUpTo(matching, query.limit);
    }
    return this.readUpTo(files, query.limit);
  }
  /** Writes the run to a new file (never over an existing one), then prunes past `retention`. */
  async append(doc, key, retention) {
    validateResults(doc, `run ${key.sha} of ${key.branch}`);
    if (!Number.isInteger(retention) || retention < 1) {
      throw new Error(`retention must be a whole number of at least 1, got '${retention}'`);
    }
    await mkdir(this.directory, { recursive: true });
    const text = `${JSON.stringify(doc, null, 2)}
`;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const location = join(this.directory, toFileName(key, attempt));
      try {
        await writeFile(location, text, { flag: "wx" });
      } catch (error) {
        if (error.code === "EEXIST") continue;
        throw error;
      }
      await this.prune(key.branch, retention);
      return location;
    }
    throw new Error(`${this.directory}: 100 runs already stored for ${key.branch} at ${key.startedAt} ${key.sha}`);
  }
  /** Deletes the branch's valid runs past `retention`; invalid files are left for a person to look at. */
  async prune(branch, retention) {
    const files = await this.listBranch(branch);
    let kept = 0;
    for (const file of files) {
      const stored = await this.readStored(file);
      if ("reason" in stored) continue;
      kept += 1;
      if (kept > retention) await rm(join(this.directory, file.name), { force: true });
    }
  }
};

// src/cli/cli-words.ts
var RUN_STORE_BASELINE = "store one with --save-baseline";
var COMPARE_STORE_BASELINE = "store one with perf-gate run --save-baseline";
function describeCliReproduce(flags, project = false) {
  const command = project ? "npx perf-gate run" : "npm run perf-gate -- run";
  return ["```sh", `${command}${flags ? formatRerunFlags(flags) : ""}`, "```"];
}
__name(describeCliReproduce, "describeCliReproduce");
function formatRerunFlags(flags) {
  const parts = [];
  if (flags.scenarios.length > 0) parts.push(`--scenarios ${flags.scenarios.join(",")}`);
  else if (flags.categories.length > 0) parts.push(`--categories ${flags.categories.join(",")}`);
  if (flags.thresholds !== "thresholds.json") parts.push(`--thresholds ${quote(flags.thresholds)}`);
  if (flags.users !== DEFAULT_RUN_SIZE.users) parts.push(`--users ${flags.users}`);
  if (flags.scale !== DEFAULT_RUN_SIZE.scale) parts.push(`--scale ${flags.scale}`);
  parts.push(`--seed ${flags.seed}`);
  if (flags.against !== void 0) parts.push(`--against ${quote(flags.against)} --rounds ${flags.rounds}`);
  return parts.map((part) => ` ${part}`).join("");
}
__name(formatRerunFlags, "formatRerunFlags");
function quote(value) {
  return /^[A-Za-z0-9_./:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
__name(quote, "quote");

// src/cli/flags.ts
var UsageError = class extends Error {
  static {
    __name(this, "UsageError");
  }
  name = "UsageError";
};
async function readFlag(flag, value, read) {
  try {
    return await read();
  } catch (error) {
    const reason = describeError(error);
    throw new UsageError(`--${flag} '${value}': ${reason}`);
  }
}
__name(readFlag, "readFlag");
function readNumberFlag(flag, raw, bounds) {
  const value = parseBoundedNumber(raw, bounds);
  if (value === void 0) throw new UsageError(`--${flag} must be ${describeBounds(bounds)}, got '${raw}'`);
  return value;
}
__name(readNumberFlag, "readNumberFlag");

// src/cli/markdown-file.ts
function renderMarkdownFile(comparison, flags) {
  return renderMarkdown(comparison, {
    marker: buildCommentMarker(DEFAULT_COMMENT_KEY),
    maxBytes: MAX_COMMENT_BYTES,
    fullReport: { kind: "comparison-json" },
    // A perf file's scenarios are run with the project's installed perf-gate.
    reproduce: describeCliReproduce(flags, comparison.verdicts.length > 0 && !comparison.verdicts.some((v) => isScenarioId(v.scenarioId)))
  });
}
__name(renderMarkdownFile, "renderMarkdownFile");

// src/cli/compare-command.ts
var USAGE = "usage: perf-gate compare --current results.json [--baseline DIR|FILE] [--branch main] [--thresholds thresholds.json] [--markdown out.md] [--json out.json]";
function readFlags(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        current: { type: "string" },
        baseline: { type: "string" },
        branch: { type: "string", default: "main" },
        thresholds: { type: "string" },
        markdown: { type: "string" },
        json: { type: "string" }
      }
    }));
  } catch (error) {
    throw new UsageError(`${describeError(error)}
${USAGE}`);
  }
  if (!values.current) throw new UsageError(`--current is required: the results document of this run
${USAGE}`);
  const { current, baseline, branch, thresholds, markdown, json } = values;
  return { current, baseline, branch, thresholds, markdown, json };
}
__name(readFlags, "readFlags");
async function readThresholds(flag, io) {
  if (flag) return readFlag("thresholds", flag, () => loadThresholds(flag));
  if (existsSync("thresholds.json")) return readFlag("thresholds", "thresholds.json", () => loadThresholds("thresholds.json"));
  io.stderr.write("warning: no thresholds.json here and no --thresholds: using built-in defaults, no absolute limits\n");
  return parseThresholds({}, "built-in defaults");
}
__name(readThresholds, "readThresholds");
async function readBaseline(flags, limit, io) {
  const path = flags.baseline;
  if (!path) return [];
  return readFlag("baseline", path, async () => {
    if (!(await stat(path)).isDirectory()) return [await readResults(path)];
    const history = await new LocalDirectoryStore(path).readHistory({ branch: flags.branch, limit });
    for (const skipped of history.skipped) io.stderr.write(`warning: skipped ${skipped.location}: ${skipped.reason}
`);
    if (history.runs.length === 0) io.stderr.write(`warning: no baseline runs of branch '${flags.branch}' in ${path}
`);
    return history.runs;
  });
}
__name(readBaseline, "readBaseline");
async function runCompare(argv, io) {
  try {
    const flags = readFlags(argv);
    const thresholds = await readThresholds(flags.thresholds, io);
    const current = await readFlag("current", flags.current, () => readResults(flags.current));
    const history = await readBaseline(flags, thresholds.history, io);
    const comparison = compareToBaseline({ current, history, thresholds });
    io.stdout.write(renderConsole(comparison, { storeBaseline: COMPARE_STORE_BASELINE }));
    const { markdown, json } = flags;
    if (markdown) await readFlag("markdown", markdown, () => writeFile2(markdown, renderMarkdownFile(comparison)));
    if (json) {
      await readFlag("json", json, () => writeFile2(json, formatComparisonJson(comparison)));
    }
    return comparison.outcome.kind === "fail" ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`perf-gate compare: ${error.message}
`);
    return 2;
  }
}
__name(runCompare, "runCompare");

// src/cli/run-command.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";

// src/run/git-info.ts
import { execFileSync } from "node:child_process";
function readGitInfo(known, cwd = process.cwd()) {
  const git = /* @__PURE__ */ __name((args) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || void 0;
    } catch {
      return void 0;
    }
  }, "git");
  const sha = known.sha ?? git(["rev-parse", "HEAD"]);
  const ref = known.ref ?? git(["rev-parse", "--abbrev-ref", "HEAD"]);
  return { ...sha ? { sha } : {}, ...ref ? { ref } : {} };
}
__name(readGitInfo, "readGitInfo");

// src/cli/run-flags.ts
import { parseArgs as parseArgs2 } from "node:util";
var RUN_USAGE = `usage: perf-gate run [--categories pooling,retry,sessions,bench] [--scenarios id,...]
  [--output .perf-gate/results.json] [--markdown FILE] [--json FILE]
  [--baseline DIR (.perf-gate/baselines)] [--baseline-branch main] [--save-baseline]
  [--thresholds thresholds.json] [--users 10000] [--seed N] [--scale 1] [--keep-database] [--no-confirm-rerun]
  [--against REF [--rounds ${DEFAULT_ROUNDS}]] [--perf FILE]
Uses DATABASE_URL when set, else an embedded PostgreSQL. --against measures the working tree and
REF's commit (a branch: its merge base with HEAD) in the same run, in alternating rounds.
In a project with a perf file (perf/*.perf.ts, or --perf FILE), runs that file's scenarios on the
project's own MikroORM data layer; without one, perf-gate's own data layer and its 51 scenarios.`;
var OPTIONS = {
  categories: { type: "string" },
  scenarios: { type: "string" },
  output: { type: "string", default: ".perf-gate/results.json" },
  markdown: { type: "string" },
  json: { type: "string" },
  baseline: { type: "string", default: ".perf-gate/baselines" },
  "baseline-branch": { type: "string", default: "main" },
  "save-baseline": { type: "boolean", default: false },
  thresholds: { type: "string", default: "thresholds.json" },
  users: { type: "string", default: "10000" },
  seed: { type: "string" },
  scale: { type: "string", default: "1" },
  "keep-database": { type: "boolean", default: false },
  "no-confirm-rerun": { type: "boolean", default: false },
  against: { type: "string" },
  perf: { type: "string" },
  rounds: { type: "string" },
  help: { type: "boolean", default: false }
};
function readRunFlags(argv) {
  let values;
  try {
    ({ values } = parseArgs2({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${describeError(error)}
${RUN_USAGE}`);
  }
  return {
    ...values,
    users: readNumberFlag("users", values.users, SEED_USERS_BOUNDS),
    scale: readNumberFlag("scale", values.scale, SCALE_BOUNDS),
    seed: values.seed === void 0 ? createSeed() : readNumberFlag("seed", values.seed, SEED_BOUNDS),
    categories: splitList(values.categories ?? ""),
    scenarios: splitList(values.scenarios ?? ""),
    rounds: readRoundsFlag(values)
  };
}
__name(readRunFlags, "readRunFlags");
function readRoundsFlag(values) {
  if (values.against === void 0) {
    if (values.rounds !== void 0) throw new UsageError(`--rounds '${values.rounds}' needs --against <ref>`);
    return DEFAULT_ROUNDS;
  }
  if (values.against.trim() === "") throw new UsageError(`--against must name a git ref (a branch, tag or commit), got '${values.against}'`);
  if (values["save-baseline"]) throw new UsageError("--save-baseline cannot be combined with --against: a duet run is not stored as a baseline");
  return values.rounds === void 0 ? DEFAULT_ROUNDS : readNumberFlag("rounds", values.rounds, ROUNDS_BOUNDS);
}
__name(readRoundsFlag, "readRoundsFlag");

// src/cli/run-plan.ts
import { existsSync as existsSync2 } from "node:fs";
async function planSubject(flags, env, entry) {
  const project = await loadProject({
    projectDir: process.cwd(),
    ...flags.perf !== void 0 ? { perfFile: flags.perf } : {},
    hooksFile: entry.hooksFile,
    ...env.MIKRO_ORM_CLI_CONFIG ? { configFromEnv: env.MIKRO_ORM_CLI_CONFIG } : {}
  });
  if (!project) return { subject: OWN_SUBJECT };
  return { subject: projectSubject(project), project: { dir: project.projectDir, perfFile: project.perfFile } };
}
__name(planSubject, "planSubject");
async function planRun(flags, env, entry) {
  const { subject, project } = await planSubject(flags, env, entry);
  const ids = subject === OWN_SUBJECT ? void 0 : subject.scenarios.map((d) => d.id);
  const path = flags.thresholds;
  const thresholds = ids && !existsSync2(path) ? parseThresholds({}, `defaults (no ${path})`, ids) : await readFlag("thresholds", path, () => loadThresholds(path, ids));
  const fromEnv = readEnvSettings(env);
  const settings = resolveSettings(fromEnv, thresholds.configuration, {
    serverUrl: fromEnv.databaseUrl,
    size: { users: flags.users, scale: flags.scale, seed: flags.seed },
    confirmRerun: thresholds.confirmRerun && !flags["no-confirm-rerun"],
    keepDatabase: flags["keep-database"]
  });
  const definitions = selectScenarios(subject.scenarios, { categories: flags.categories, scenarios: flags.scenarios });
  return { flags, thresholds, settings, subject, ...project ? { project } : {}, definitions };
}
__name(planRun, "planRun");
async function readLocalHistory(plan, log) {
  const branch = plan.flags["baseline-branch"];
  const store = new LocalDirectoryStore(plan.flags.baseline);
  const history = await store.readHistory({ branch, limit: plan.thresholds.history });
  for (const skipped of history.skipped) log(`warning: skipped stored run ${skipped.location}: ${skipped.reason}`);
  log(`baseline: ${history.runs.length} run(s) of '${branch}' in ${store.description}`);
  return { store, runs: history.runs };
}
__name(readLocalHistory, "readLocalHistory");

// src/cli/run-report.ts
import { mkdir as mkdir2, writeFile as writeFile3 } from "node:fs/promises";
import { dirname } from "node:path";

// src/report/run-summary.ts
var fmt = /* @__PURE__ */ __name((value, digits = 3) => value === void 0 || !Number.isFinite(value) ? "-" : value.toFixed(digits), "fmt");
function row(scenario) {
  const m = scenario.metrics;
  const failed = scenario.checks.filter((c) => !c.passed).map((c) => c.name);
  const note = scenario.status === "errored" ? `${scenario.error.name}: ${scenario.error.message}` : failed.join(", ");
  return [
    escapeConsole(scenario.id),
    scenario.status,
    fmt(m.avg_ms?.value),
    fmt(m.cpu_per_call_ms?.value),
    fmt(m.p95_ms?.value),
    fmt(m.ops_per_sec?.value, 0),
    `${scenario.checks.filter((c) => c.passed).length}/${scenario.checks.length}`,
    `${(scenario.wallMs / 1e3).toFixed(2)}s`,
    escapeConsole(note).slice(0, 100)
  ];
}
__name(row, "row");
function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = /* @__PURE__ */ __name((cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd(), "line");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
__name(table, "table");
function renderRunSummary(doc) {
  const header = ["scenario", "status", "avg ms", "cpu ms/call", "p95 ms", "ops/s", "checks", "wall", "failed checks / error"];
  const counts = { passed: 0, failed: 0, errored: 0 };
  for (const s of doc.scenarios) counts[s.status]++;
  const categories = Object.entries(doc.timings.categories).map(([name, t]) => `${name} ${((t?.wallMs ?? 0) / 1e3).toFixed(1)}s`).join(", ");
  const c = doc.calibration;
  return [
    table(header, doc.scenarios.map(row)),
    "",
    `${doc.scenarios.length} scenarios: ${counts.passed} passed, ${counts.failed} failed, ${counts.errored} errored`,
    `time: setup ${(doc.timings.setupMs / 1e3).toFixed(1)}s, ${categories}; total ${(doc.timings.totalMs / 1e3).toFixed(1)}s`,
    `calibration (avg ms): raw select 1 ${fmt(c.rawSelectOne.avg)}; get-by-id raw ${fmt(c.rawGetById.avg)} / repository ${fmt(c.repoGetById.avg)} = ${fmt(c.repoGetById.avg / c.rawGetById.avg, 2)}x; insert raw ${fmt(c.rawInsert.avg)} / repository ${fmt(c.repoInsert.avg)} = ${fmt(c.repoInsert.avg / c.rawInsert.avg, 2)}x`,
    `environment: PostgreSQL ${doc.environment.postgres.version}, Node ${doc.environment.node.version}, ${doc.environment.cpu.count} x ${doc.environment.cpu.model}; seed ${doc.run.seed}`,
    ""
  ].join("\n");
}
__name(renderRunSummary, "renderRunSummary");

// src/cli/run-report.ts
async function writeText(path, text) {
  await mkdir2(dirname(path), { recursive: true });
  await writeFile3(path, text);
}
__name(writeText, "writeText");
async function writeRunReport(flags, judged, io, log) {
  const { results, comparison } = judged;
  await writeResults(flags.output, results);
  io.stdout.write(`
${renderRunSummary(results)}
${renderConsole(comparison, { storeBaseline: RUN_STORE_BASELINE })}`);
  log(`results written to ${flags.output}`);
  await writeComparisonFiles(flags, comparison);
}
__name(writeRunReport, "writeRunReport");
async function writeComparisonFiles(flags, comparison) {
  if (flags.markdown) await writeText(flags.markdown, renderMarkdownFile(comparison, flags));
  if (flags.json) await writeText(flags.json, formatComparisonJson(comparison));
}
__name(writeComparisonFiles, "writeComparisonFiles");
async function writeDuetReport(flags, comparison, timings, io) {
  io.stdout.write(`
${renderConsole(comparison, { storeBaseline: RUN_STORE_BASELINE })}${timings}
`);
  await writeComparisonFiles(flags, comparison);
}
__name(writeDuetReport, "writeDuetReport");

// src/cli/save-baseline.ts
async function saveBaseline(request, log) {
  const { store, branch, results } = request;
  const unstorable = findUnstorableReason(results);
  if (unstorable) {
    log(`not stored as a baseline: ${unstorable}`);
    return;
  }
  const key = { branch, sha: results.run.gitSha ?? "local", startedAt: results.run.startedAt };
  log(`stored as a baseline of '${branch}': ${await store.append(results, key, request.retention)}`);
}
__name(saveBaseline, "saveBaseline");

// src/cli/run-command.ts
async function gitTopLevel(dir) {
  const { stdout } = await promisify(execFile)("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8" });
  return stdout.trim();
}
__name(gitTopLevel, "gitTopLevel");
var BAD_INPUT = ["UsageError", "SettingError", "SelectionError", "ProjectError"];
async function runRun(argv, io, env, entry) {
  const secrets = env.DATABASE_URL ? findDatabaseUrlSecrets(env.DATABASE_URL) : [];
  const log = /* @__PURE__ */ __name((line) => io.stderr.write(`${redactSecrets(line, secrets)}
`), "log");
  let plan;
  try {
    const flags2 = readRunFlags(argv);
    if (flags2.help) {
      io.stdout.write(`${RUN_USAGE}
`);
      return 0;
    }
    plan = await planRun(flags2, env, entry);
  } catch (error) {
    if (!(error instanceof Error) || !BAD_INPUT.includes(error.name)) throw error;
    io.stderr.write(`perf-gate run: ${redactSecrets(error.message, secrets)}
`);
    return 2;
  }
  const history = await readLocalHistory(plan, log);
  const git = readGitInfo({ sha: env.GITHUB_SHA, ref: env.GITHUB_REF });
  const { flags } = plan;
  if (flags.against !== void 0) {
    const outcome = await runDuetCommand({
      against: flags.against,
      rounds: flags.rounds,
      selection: { categories: flags.categories, scenarios: flags.scenarios },
      settings: plan.settings,
      thresholds: plan.thresholds,
      output: flags.output,
      history: history.runs,
      git,
      repoRoot: plan.project ? await gitTopLevel(plan.project.dir) : process.cwd(),
      ...plan.project ? {
        project: {
          projectDir: plan.project.dir,
          perfFile: plan.project.perfFile,
          workerFile: entry.workerFile,
          ...env.PERF_GATE_ARMS_CACHE ? { cacheDir: env.PERF_GATE_ARMS_CACHE } : {}
        }
      } : {},
      progress: createProgress(process.stderr),
      log
    });
    if (outcome.kind === "done") {
      await writeDuetReport(flags, outcome.comparison, outcome.timings, io);
      return outcome.comparison.outcome.kind === "fail" ? 1 : 0;
    }
    log(`duet unavailable, running the single-arm gate against the history: ${outcome.reason}`);
  }
  log(`measuring ${plan.subject.description}`);
  const judged = await runGate({
    subject: plan.subject,
    settings: plan.settings,
    thresholds: plan.thresholds,
    definitions: plan.definitions,
    history: history.runs,
    label: { gitSha: git.sha, gitRef: git.ref, toolVersion: TOOL_VERSION },
    progress: createProgress(process.stderr),
    log
  });
  await writeRunReport(plan.flags, judged, io, log);
  if (plan.flags["save-baseline"]) {
    const request = { store: history.store, branch: plan.flags["baseline-branch"], results: judged.results, retention: plan.thresholds.retention };
    await saveBaseline(request, log);
  }
  return judged.comparison.outcome.kind === "fail" ? 1 : 0;
}
__name(runRun, "runRun");

// src/cli.ts
var USAGE2 = `usage: perf-gate <command>
  run       run the scenarios, compare with the baseline history, print the verdict (npm start)
  compare   compare a results document with a baseline (--current results.json)
  help      this text`;
function besideEntry(name) {
  const built = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return existsSync3(built) ? built : fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
}
__name(besideEntry, "besideEntry");
async function main(argv) {
  const [command = "run", ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case "run":
      return runRun(rest, io, process.env, { hooksFile: besideEntry("ts-hooks"), workerFile: besideEntry("worker") });
    case "compare":
      return runCompare(rest, io);
    case "help":
    case "--help":
      process.stdout.write(`${USAGE2}
`);
      return 0;
    default:
      process.stderr.write(`perf-gate: unknown command '${command}'
${USAGE2}
`);
      return 2;
  }
}
__name(main, "main");
function reportCrash(error) {
  const secrets = process.env.DATABASE_URL ? findDatabaseUrlSecrets(process.env.DATABASE_URL) : [];
  const message = describeError(error);
  process.stderr.write(`perf-gate: ${redactSecrets(message, secrets)}
`);
  return 1;
}
__name(reportCrash, "reportCrash");
function flush(stream) {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
__name(flush, "flush");
async function exitWith(code) {
  let final = code;
  try {
    await stopEmbeddedServers();
  } catch (error) {
    final = Math.max(code, reportCrash(error));
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(signalExitCode() ?? final);
}
__name(exitWith, "exitWith");
void main(process.argv.slice(2)).catch(reportCrash).then(exitWith);
