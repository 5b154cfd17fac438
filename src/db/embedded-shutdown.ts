/**
 * Stops every embedded PostgreSQL of this process and removes its temporary folder, whichever way
 * the process ends:
 * - a normal stop (`EmbeddedServer.stop()`, or `stopEmbeddedServers()` before exiting);
 * - SIGINT, SIGTERM or SIGHUP while a server runs: stop, remove the folder, exit with 128 + the
 *   signal's number (130, 143, 129). A second signal exits at once (the exit step below cleans up);
 * - any other exit (an uncaught exception, `process.exit()` elsewhere, vitest's own signal handler):
 *   on 'exit', synchronously, an immediate-shutdown signal to the server and removal of the folder.
 *
 * The server is found the way `pg_ctl stop` finds it: the first line of `postmaster.pid` in the data
 * directory. This replaces the package's own exit hook (removed in `embedded-exit-hook.ts`), which
 * exited 0 whatever the outcome and left the folder behind.
 */
import { readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A started (or starting) server's folder, as tracked here. */
interface TrackedServer {
  /** The temporary folder, removed on stop. */
  readonly folder: string;
  /** The data directory inside it, which holds `postmaster.pid`. */
  readonly dataDir: string;
  stopping?: Promise<void>;
}

/** How to stop the postmaster: fast shutdown; immediate if that hangs; kill as the last resort. */
const STOP_STEPS: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
  ['SIGINT', 10_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
];
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const live = new Set<TrackedServer>();
let caughtSignal: NodeJS.Signals | undefined;

/**
 * Tracks a server's folder from before initdb runs, so that every way out removes it. Returns the
 * server's stop function (idempotent: a second call waits for the first).
 */
export function trackEmbeddedServer(folder: string, dataDir: string): () => Promise<void> {
  const server: TrackedServer = { folder, dataDir };
  live.add(server);
  if (live.size === 1) installHandlers();
  return () => stopTracked(server);
}

/** Stops every server still running in this process (and waits for stops already under way). */
export async function stopEmbeddedServers(): Promise<void> {
  await Promise.all([...live].map((server) => stopTracked(server)));
}

/** 128 + the number of the signal being handled, or undefined when none was caught. */
export function signalExitCode(): number | undefined {
  return caughtSignal ? 128 + constants.signals[caughtSignal] : undefined;
}

function stopTracked(server: TrackedServer): Promise<void> {
  server.stopping ??= (async () => {
    try {
      const pid = readPostmasterPid(server.dataDir);
      if (pid !== undefined) await stopPostmaster(pid);
      await rm(server.folder, { recursive: true, force: true, maxRetries: 3 });
    } finally {
      live.delete(server);
      if (live.size === 0) removeHandlers();
    }
  })();
  return server.stopping;
}

/** The postmaster's pid, or undefined when it is not running (the file is removed on a clean stop). */
function readPostmasterPid(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split('\n', 1)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function stopPostmaster(pid: number): Promise<void> {
  for (const [signal, waitMs] of STOP_STEPS) {
    if (!sendSignal(pid, signal)) return;
    if (await waitForExit(pid, waitMs)) return;
  }
}

/** False when the process is gone (or is not ours to signal). */
function sendSignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Node reaps its exited child, so signal 0 fails once the postmaster has exited. */
async function waitForExit(pid: number, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline) {
    if (!sendSignal(pid, 0)) return true;
    await sleep(25);
  }
  return !sendSignal(pid, 0);
}

function onSignal(signal: NodeJS.Signals): void {
  if (caughtSignal) process.exit(signalExitCode());
  caughtSignal = signal;
  // Stopping the server breaks the run's connections; whatever crashes because of that, the
  // process still ends with the signal's code.
  process.on('exit', () => void (process.exitCode = signalExitCode()));
  const folders = [...live].map((server) => server.folder).join(', ');
  process.stderr.write(`perf-gate: ${signal}: stopping the embedded PostgreSQL and removing ${folders}\n`);
  void stopEmbeddedServers().finally(() => process.exit(signalExitCode()));
}

/** Last resort on 'exit', where nothing asynchronous runs: immediate shutdown, remove the folder. */
function onExit(): void {
  for (const server of live) {
    const pid = readPostmasterPid(server.dataDir);
    if (pid !== undefined) sendSignal(pid, 'SIGQUIT');
    try {
      rmSync(server.folder, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      process.stderr.write(`perf-gate: could not remove ${server.folder}: ${String(error)}\n`);
    }
  }
}

function installHandlers(): void {
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}

function removeHandlers(): void {
  for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener('exit', onExit);
}
