import pg from 'pg';
import { toError } from '../common/error-message.js';

/**
 * Drops every database on the server whose name starts with one of `prefixes`: what workers that
 * were killed (or never got to `stop`) left behind. Returns the names dropped.
 */
export async function dropDatabasesByPrefix(serverUrl: string, prefixes: readonly string[], log: (line: string) => void): Promise<string[]> {
  // A short prefix could name databases that are not ours.
  const short = prefixes.find((prefix) => prefix.length < 12);
  if (short !== undefined) throw new Error(`refusing to drop databases by the prefix '${short}': expected at least 12 characters`);
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000, application_name: 'perf-gate-duet' });
  await client.connect();
  const dropped: string[] = [];
  try {
    // left(...) rather than LIKE: an underscore in a prefix would be a LIKE wildcard.
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where exists (select 1 from unnest($1::text[]) as p where left(datname, length(p)) = p)',
      [prefixes],
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
    await client.end().catch(() => undefined);
  }
  return dropped;
}
