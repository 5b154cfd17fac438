/**
 * The coordinator's end of one worker process: spawns the arm's command with piped stdio, turns
 * each stdout line into a validated reply, forwards stderr lines to the log with the arm's name,
 * and notices when the process goes away. Requests are sequential: one is sent, its reply awaited.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { toError } from '../common/error-message.js';
import type { ArmName } from './duet-types.js';
import { encodeMessage, type WorkerReply, type WorkerRequest } from './protocol.js';
import { parseReply } from './protocol-schema.js';

/** A worker that crashed, hung, or broke the protocol: it is killed and its request is lost. */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

/** How to start an arm's worker. */
export interface WorkerCommand {
  name: ArmName;
  /** Program and arguments, e.g. [process.execPath, '.perf-gate/arms/head/worker.js']. */
  command: readonly string[];
  /** Extra environment variables of the worker process. */
  env?: Readonly<Record<string, string>>;
  /** Working directory of the worker (default: the coordinator's): a project arm runs in its project. */
  cwd?: string;
}

export class WorkerProcess {
  private readonly queue: WorkerReply[] = [];
  private waiter: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | undefined;
  private failure: WorkerFailure | undefined;
  /** Resolves once the process and its pipes are closed. */
  readonly closed: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly name: ArmName,
    log: (line: string) => void,
  ) {
    let line = 0;
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (text) => {
      line += 1;
      try {
        this.deliver(parseReply(text, { stream: `the ${name} worker's output`, line }));
      } catch (error) {
        this.fail(`broke the protocol: ${toError(error).message}`);
        this.kill();
      }
    });
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (text) => log(`[${name}] ${text}`));
    // The worker may be gone before it reads a request; the close event says so.
    child.stdin.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      child.on('error', (error) => {
        this.fail(`could not be started: ${error.message}`);
        resolve();
      });
      child.on('close', (code, signal) => {
        this.fail(signal ? `was ended by ${signal}` : `exited with code ${code}`);
        resolve();
      });
    });
  }

  static spawn(worker: WorkerCommand, log: (line: string) => void): WorkerProcess {
    const [program, ...args] = worker.command;
    if (!program) throw new Error(`the ${worker.name} arm has an empty command`);
    // The worker inherits the coordinator's environment plus the arm's own variables; nothing here
    // reads a setting from it (the worker gets its settings in the `start` request).
    // eslint-disable-next-line no-restricted-properties
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...worker.env }, ...(worker.cwd ? { cwd: worker.cwd } : {}) });
    return new WorkerProcess(child, worker.name, log);
  }

  /** The process's id (for logs). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process failed or ended. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  send(request: WorkerRequest): void {
    if (this.failure) return;
    this.child.stdin.write(encodeMessage(request));
  }

  /**
   * The next reply. Rejects with a WorkerFailure when the process failed or ends before it comes,
   * and kills the process when it does not come within `timeoutMs` (`waitingFor` says what for).
   */
  next(timeoutMs: number, waitingFor: string): Promise<WorkerReply> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(`did not answer ${waitingFor} within ${(timeoutMs / 1000).toFixed(1)} s`);
        this.kill();
      }, timeoutMs);
      this.waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  /** Kills the process at once (SIGKILL); its scratch database is left for the coordinator to drop. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private deliver(reply: WorkerReply): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.resolve(reply);
    else this.queue.push(reply);
  }

  /** Records the first failure and hands it to a waiting request. */
  private fail(what: string): void {
    this.failure ??= new WorkerFailure(`the ${this.name} worker (pid ${this.child.pid ?? 'none'}) ${what}`);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}
