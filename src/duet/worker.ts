/**
 * The duet worker: one build of the data layer and its scenarios behind the worker protocol
 * (protocol.ts, docs/worker-protocol.md). It reads requests from its input one at a time and
 * answers each on its output; everything else it has to say goes to its log (stderr).
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { findDatabaseUrlSecrets, redactSecrets } from '../config/redact.js';
import { toError } from '../common/error-message.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import { createRandom } from '../suites/harness/random.js';
import type { ScenarioDefinition, SuiteOptions } from '../suites/scenario.js';
import type { SuiteSubject } from '../run/suite-subject.js';
import { runScenario } from '../suites/scenario-runner.js';
import { runCostPass } from '../run/cost-pass.js';
import { hashDefinition } from './definition-hash.js';
import { encodeMessage, PROTOCOL_VERSION, type CostRequest, type RunRequest, type StartRequest, type WorkerReply } from './protocol.js';
import { parseRequest } from './protocol-schema.js';
import { WorkerSession } from './worker-session.js';
import { applyTestRegression, type WorkerTestRegression } from './worker-test-regression.js';

/** Fewest seconds the timed block of a bench round lasts (it makes at least one call whatever the budget). */
export const MIN_ROUND_BENCH_SECONDS = 0.005;
/** Smallest scale a round runs at (the CLI's own lower bound for --scale). */
export const MIN_ROUND_SCALE = 0.01;

/**
 * A test hook, set only by the duet tests through PERF_GATE_WORKER_TEST_FAULT: `crash:<id>` makes
 * the worker exit while it runs scenario <id>, `hang:<id>` makes it stop answering there.
 */
export interface WorkerTestFault {
  kind: 'crash' | 'hang';
  scenarioId: string;
}

export interface WorkerOptions {
  /** What the worker measures: perf-gate's own data layer, or a project's perf file. */
  subject: SuiteSubject;
  toolVersion: string;
  testFault?: WorkerTestFault;
  /** A code regression on demand, for the duet validation (worker-test-regression.ts). */
  testRegression?: WorkerTestRegression;
}

export interface WorkerIo {
  input: NodeJS.ReadableStream;
  /** Writes one protocol line. */
  send(line: string): void;
  /** Writes one log line. */
  log(line: string): void;
}

const SILENT_PROGRESS: ProgressReporter = {
  scenarioStarted: () => undefined,
  scenarioFinished: () => undefined,
  categoryFinished: () => undefined,
  close: () => undefined,
};

/**
 * The suite options of round `round`: the run's, with sizes and the bench time budget cut to its
 * share, each benchmark one timed block of calls (benchmark.js's minimum cycles would cost more
 * than a short share measures), and side measurements in the first round only.
 */
export function scaleSuiteOptions(suite: SuiteOptions, share: number, round = 0): SuiteOptions {
  return {
    ...suite,
    scale: Math.max(MIN_ROUND_SCALE, suite.scale * share),
    benchmarkMaxSeconds: Math.max(MIN_ROUND_BENCH_SECONDS, suite.benchmarkMaxSeconds * share),
    benchRunner: 'block',
    // Measurements beside the scenario's calls cost the same whatever the share: the first round only.
    sideMeasurements: round === 0,
  };
}

/**
 * The seed of one round of one scenario: both arms make the same random choices in the same round,
 * whatever ran before in either (a restarted worker included).
 */
export function roundSeed(seed: number, id: string, round: number): number {
  return (seed ^ createHash('sha256').update(`${id}#${round}`).digest().readUInt32BE(0)) >>> 0;
}

/** Reads PERF_GATE_WORKER_TEST_FAULT; anything but `crash:<id>` / `hang:<id>` means no fault. */
export function readTestFault(env: Readonly<Record<string, string | undefined>>): WorkerTestFault | undefined {
  const match = /^(crash|hang):(.+)$/.exec(env.PERF_GATE_WORKER_TEST_FAULT ?? '');
  return match ? { kind: match[1] as WorkerTestFault['kind'], scenarioId: match[2]! } : undefined;
}

/** Applies the test fault when it names this scenario: exits soon, or never lets the round finish. */
async function injectTestFault(fault: WorkerTestFault | undefined, id: string): Promise<void> {
  if (fault?.scenarioId !== id) return;
  if (fault.kind === 'crash') {
    // Mid-round: the process goes before the round can answer (a short round would otherwise
    // finish within the delay and the crash would land between rounds).
    setTimeout(() => process.exit(70), 100);
  } else {
    // Alive but silent until the coordinator's watchdog kills it (the timer keeps the process up).
    setInterval(() => undefined, 60_000);
  }
  await new Promise<never>(() => undefined);
}

/** What an accepted `start` prepared. */
interface Started {
  session: WorkerSession;
  seed: number;
  suite: SuiteOptions;
}

class Worker {
  private started: Started | undefined;
  private secrets: string[] = [];
  private readonly byId: Map<string, ScenarioDefinition>;

  constructor(
    private readonly io: WorkerIo,
    private readonly options: WorkerOptions,
  ) {
    this.byId = new Map(options.subject.scenarios.map((d) => [d.id, d]));
  }

  send(reply: WorkerReply): void {
    this.io.send(redactSecrets(encodeMessage(reply), this.secrets));
  }

  log(line: string): void {
    this.io.log(redactSecrets(line, this.secrets));
  }

  hello(): void {
    const scenarios = this.options.subject.scenarios.map((d) => ({
      id: d.id,
      category: d.category,
      params: { ...d.params },
      definitionHash: hashDefinition(d),
    }));
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION, toolVersion: this.options.toolVersion, scenarios });
  }

  /** Handles one request line; returns true once the worker should exit. */
  async handle(text: string, line: number): Promise<boolean> {
    let request;
    try {
      request = parseRequest(text, { stream: "the worker's input", line });
    } catch (error) {
      this.send({ type: 'error', message: toError(error).message });
      return false;
    }
    switch (request.type) {
      case 'start':
        await this.start(request);
        return false;
      case 'cost':
        await this.countCost(request);
        return false;
      case 'run':
        await this.run(request);
        return false;
      case 'stop':
        await this.close();
        this.send({ type: 'stopped' });
        return true;
    }
  }

  private async start(request: StartRequest): Promise<void> {
    if (this.started) {
      this.send({ type: 'error', message: `'start' was already answered (${this.started.session.database}); send 'run' or 'stop'` });
      return;
    }
    this.secrets = findDatabaseUrlSecrets(request.serverUrl);
    let session: WorkerSession;
    try {
      session = await WorkerSession.open(request, this.options.subject, (line) => this.log(line));
    } catch (error) {
      this.send({ type: 'error', message: `setup failed: ${toError(error).message}` });
      return;
    }
    this.started = { session, seed: request.seed, suite: request.suite };
    const { fingerprint, setupMs, database, calibration } = session;
    this.send({ type: 'ready', fingerprint, setupMs, database, ...(calibration ? { calibration } : {}) });
  }

  /** The cost pass on the prepared database; the test regression applies to it as to the rounds. */
  private async countCost(request: CostRequest): Promise<void> {
    if (!this.started) {
      this.send({ type: 'error', message: "'cost' before 'start': send 'start' first" });
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
        log: (line) => this.log(line),
        wrap: (db, id) => applyTestRegression(db, regression, id),
      });
      this.send({ type: 'cost', cost: cost ?? null });
    } catch (error) {
      this.send({ type: 'error', message: `cost pass failed: ${toError(error).message}` });
    }
  }

  private async run(request: RunRequest): Promise<void> {
    const definition = this.byId.get(request.id);
    if (!this.started) {
      this.send({ type: 'error', message: `'run' of '${request.id}' before 'start': send 'start' first` });
      return;
    }
    if (!definition) {
      this.send({ type: 'error', message: `'run' names scenario '${request.id}', which this worker does not have (its hello lists ${this.byId.size})` });
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
      settleGcBefore: request.round === 0,
    });
    this.send({ type: 'result', id: request.id, round: request.round, result });
  }

  async close(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    await started?.session.close();
  }
}

/**
 * Runs the worker until `stop` (or the end of its input): says hello, then answers each request
 * in order. Returns the process's exit code.
 */
export async function runWorker(io: WorkerIo, options: WorkerOptions): Promise<number> {
  const worker = new Worker(io, options);
  worker.hello();
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      if (await worker.handle(text, line)) return 0;
    }
    worker.log('input closed without a stop request; dropping the database');
    return 0;
  } finally {
    lines.close();
    await worker.close().catch((error: unknown) => worker.log(`could not drop the database: ${toError(error).message}`));
  }
}

/**
 * The worker process: protocol lines go to the real stdout; anything else that writes to stdout
 * (a library's console.log) is sent to stderr instead, so it can never corrupt the protocol.
 */
export async function startWorkerProcess(options: WorkerOptions): Promise<void> {
  const protocolOut = process.stdout.write.bind(process.stdout);
  const logOut = process.stderr.write.bind(process.stderr);
  process.stdout.write = logOut as typeof process.stdout.write;
  const code = await runWorker(
    {
      input: process.stdin,
      send: (line) => void protocolOut(line),
      log: (line) => void logOut(`${line}\n`),
    },
    options,
  ).catch((error: unknown) => {
    logOut(`worker failed: ${toError(error).message}\n`);
    return 1;
  });
  // Wait for the last reply to leave before exiting: open handles (timers of a scenario's
  // libraries) must not keep a stopped worker alive.
  protocolOut('', () => process.exit(code));
}
