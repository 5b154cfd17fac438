import pg from 'pg';
import { GET_BY_ID_SQL } from '../db/repositories/user-repository.js';

/** The reference statement: get-by-id as the repository sends it, with `pg`'s numbered parameter. */
export const REFERENCE_SQL = GET_BY_ID_SQL.replace('?', '$1');

/**
 * Times raw `pg` get-by-id on a connection of its own, directly to the database (never through a
 * test proxy). Taken right before and after each scenario, it tells how fast the machine was at that
 * moment, so the verdict can divide the runner's speed out of the scenario's latencies.
 */
export class ReferenceProbe {
  private next = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly ids: readonly string[],
  ) {}

  static async open(url: string, ids: readonly string[]): Promise<ReferenceProbe> {
    if (ids.length === 0) throw new Error('the reference probe needs at least one user id');
    const client = new pg.Client({ connectionString: url, application_name: 'perf-gate-reference' });
    await client.connect();
    // A broken connection must not crash the process; the next sample then fails and is skipped.
    client.on('error', () => undefined);
    return new ReferenceProbe(client, ids);
  }

  /** Times `count` calls, ms each. */
  async sample(count: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.ids[this.next++ % this.ids.length];
      const start = performance.now();
      await this.client.query(REFERENCE_SQL, [id]);
      times.push(performance.now() - start);
    }
    return times;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
