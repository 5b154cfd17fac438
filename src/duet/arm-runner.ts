/**
 * One arm of a duet as the coordinator drives it: a worker process that is launched (hello, start,
 * ready), asked for rounds, restarted with a fresh setup after it crashed or hung (a bounded
 * number of times), and stopped at the end.
 */
import type { ScenarioResult } from '../results/types.js';
import { toError } from '../common/error-message.js';
import type { ArmCost, ArmName } from './duet-types.js';
import { erroredResult } from './errored-result.js';
import type { HelloReply, ReadyReply, RunRequest, StartRequest, WorkerReply } from './protocol.js';
import { WorkerFailure, WorkerProcess, type WorkerCommand } from './worker-process.js';

/** How long the coordinator waits for a worker, ms. */
export interface WatchdogSettings {
  /** The hello and the setup (database, migrations, seed) of one worker. */
  setupMs: number;
  /** A round of a scenario none of whose rounds has finished yet. */
  firstRoundMs: number;
  /** A later round: `roundFactor` times the scenario's longest finished round, at least `minRoundMs`. */
  minRoundMs: number;
  roundFactor: number;
  /** Between `stop` and SIGKILL. */
  stopGraceMs: number;
}

export const DEFAULT_WATCHDOG: Readonly<WatchdogSettings> = Object.freeze({
  setupMs: 300_000,
  firstRoundMs: 180_000,
  minRoundMs: 60_000,
  roundFactor: 10,
  stopGraceMs: 10_000,
});

/** The `start` request of an arm without its type. */
export type StartSettings = Omit<StartRequest, 'type'>;

/** An arm that cannot run (its worker failed too often): why. */
export type ArmAvailability = { kind: 'running' } | { kind: 'unavailable'; reason: string };

function expectReply<T extends WorkerReply['type']>(
  reply: WorkerReply,
  type: T,
  request: string,
): Extract<WorkerReply, { type: T }> {
  if (reply.type === type) return reply as Extract<WorkerReply, { type: T }>;
  if (reply.type === 'error') throw new WorkerFailure(reply.message);
  throw new WorkerFailure(`answered ${request} with '${reply.type}', expected '${type}'`);
}

export class ArmRunner {
  private process: WorkerProcess | undefined;
  private retired: string | undefined;
  private restartCount = 0;
  /** The first worker's hello and ready: the arm's catalog and environment. */
  hello: HelloReply | undefined;
  ready: ReadyReply | undefined;

  constructor(
    readonly name: ArmName,
    private readonly command: WorkerCommand,
    private readonly start: StartSettings,
    private readonly watchdog: WatchdogSettings,
    private readonly maxRestarts: number,
    private readonly log: (line: string) => void,
  ) {}

  get restarts(): number {
    return this.restartCount;
  }

  /** Whether its worker is running and has not failed. */
  get healthy(): boolean {
    return this.process !== undefined && !this.process.failed;
  }

  /** Spawns the worker and reads its hello (the catalog), without setting anything up yet. */
  async spawn(): Promise<HelloReply> {
    const worker = WorkerProcess.spawn(this.command, this.log);
    this.process = worker;
    try {
      const hello = expectReply(await worker.next(this.watchdog.setupMs, 'with its hello'), 'hello', 'its launch');
      this.hello ??= hello;
      return hello;
    } catch (error) {
      worker.kill();
      throw error;
    }
  }

  /** Sends `start` and waits for `ready`: the scratch database migrated and seeded. */
  async setUp(): Promise<ReadyReply> {
    const worker = this.process;
    if (!worker) throw new Error(`the ${this.name} worker must be spawned before it is set up`);
    try {
      worker.send({ type: 'start', ...this.start });
      const ready = expectReply(await worker.next(this.watchdog.setupMs, "'start'"), 'ready', "'start'");
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
  async countCost(scenarios: readonly string[], timeoutMs: number): Promise<ArmCost> {
    const worker = this.process;
    if (!worker || worker.failed) return { kind: 'unavailable', reason: `the ${this.name} worker is not running` };
    try {
      worker.send({ type: 'cost', scenarios: [...scenarios] });
      const reply = await worker.next(timeoutMs, "'cost'");
      if (reply.type === 'error') return { kind: 'unavailable', reason: reply.message };
      return { kind: 'counted', section: expectReply(reply, 'cost', "'cost'").cost };
    } catch (error) {
      worker.kill();
      const message = toError(error).message;
      this.log(`${message}; it is restarted before the first scenario`);
      return { kind: 'unavailable', reason: message };
    }
  }

  /**
   * Before a scenario: a worker that failed is replaced by a fresh one (spawn and setup), as long
   * as the restart budget lasts; after that the arm is unavailable for the rest of the run.
   */
  async ensureRunning(): Promise<ArmAvailability> {
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
    return this.retired ? { kind: 'unavailable', reason: this.retired } : { kind: 'running' };
  }

  /**
   * Runs one round; never throws. A worker that crashes, hangs past `timeoutMs` or breaks the
   * protocol is killed and the round becomes an errored result with the reason.
   */
  async runRound(
    request: Omit<RunRequest, 'type'>,
    scenario: Pick<ScenarioResult, 'id' | 'category' | 'params'>,
    timeoutMs: number,
  ): Promise<ScenarioResult> {
    const worker = this.process;
    const started = performance.now();
    if (!worker || worker.failed) return erroredResult(scenario, `the ${this.name} worker is not running`);
    try {
      worker.send({ type: 'run', ...request });
      const what = `'run' of ${request.id} round ${request.round + 1}`;
      const reply = await worker.next(timeoutMs, what);
      if (reply.type === 'error') return erroredResult(scenario, reply.message, performance.now() - started);
      const result = expectReply(reply, 'result', what);
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
  async stop(): Promise<void> {
    const worker = this.process;
    this.process = undefined;
    if (!worker) return;
    if (!worker.failed) {
      worker.send({ type: 'stop' });
      try {
        expectReply(await worker.next(this.watchdog.stopGraceMs, "'stop'"), 'stopped', "'stop'");
      } catch (error) {
        this.log(`the ${this.name} worker did not stop cleanly: ${toError(error).message}`);
      }
    }
    const killer = setTimeout(() => worker.kill(), this.watchdog.stopGraceMs);
    await worker.closed;
    clearTimeout(killer);
  }
}
