import { describeError } from '../common/error-message.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch-database.js';

/** The server could not be reached or refused to create the run's database. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** The database the gate runs in: a scratch database on a given or embedded server. */
export interface DatabaseTarget {
  /** URL of the scratch database. */
  url: string;
  /** Where it lives, with no password, for logs. */
  description: string;
  /** Drops the scratch database (unless kept) and stops an embedded server. */
  release(): Promise<void>;
}

function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

/**
 * With `serverUrl` (DATABASE_URL), creates a database of its own on that server; without it, starts
 * an embedded PostgreSQL on a free port first. The scratch database is dropped on release unless
 * `keep` is set, so a run never touches existing tables.
 */
export async function acquireDatabase(serverUrl: string | undefined, keep: boolean): Promise<DatabaseTarget> {
  const embedded = serverUrl ? undefined : await startEmbeddedPostgres();
  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(serverUrl ?? embedded!.url, 'perf_gate_run');
  } catch (error) {
    await embedded?.stop();
    const where = serverUrl ? `the server of DATABASE_URL (${describeServer(serverUrl)})` : 'the embedded PostgreSQL';
    const reason = describeError(error);
    throw new DatabaseUnavailableError(`could not create the run's database on ${where}: ${reason}`, { cause: error });
  }
  const where = embedded ? `embedded PostgreSQL on port ${embedded.port} (data in ${embedded.folder})` : describeServer(serverUrl!);
  return {
    url: scratch.url,
    description: `database ${scratch.name} on ${where}`,
    async release() {
      try {
        if (!keep) await scratch.drop();
      } finally {
        await embedded?.stop();
      }
    },
  };
}
