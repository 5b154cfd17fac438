import type { PoolStats } from '../../db/pool-stats.js';
import { check, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { poolChecks, readPool, runPoolLoad, scenarioMetrics, settlePool } from './pool-load.js';
import { listServerPids } from './server-connections.js';
import type { LoadCall } from './shared-load.js';

const WORKERS = 30;
const ITERATIONS = 10;

/** The invariants a pool reading must satisfy; an empty list when it does. */
function inconsistencies(stats: PoolStats): string[] {
  const problems: string[] = [];
  if (stats.inUse + stats.idle !== stats.size) problems.push(`inUse ${stats.inUse} + idle ${stats.idle} != size ${stats.size}`);
  if (stats.pids.length !== stats.size) problems.push(`${stats.pids.length} pids for size ${stats.size}`);
  if (new Set(stats.pids).size !== stats.pids.length) problems.push('duplicate pids');
  if (stats.size > stats.max || stats.min > stats.max) problems.push(`size ${stats.size}, min ${stats.min}, max ${stats.max}`);
  if ([stats.waiting, stats.creating].some((n) => !Number.isInteger(n) || n < 0)) problems.push('negative counts');
  return problems;
}

/** A pool reader for the load's sampler that also checks every reading it takes. */
function watchPool(db: DataLayerUnderTest) {
  const seen = { readings: 0, busy: 0, inconsistent: 0, example: '' };
  const read = readPool(db);
  return {
    seen,
    read: () => {
      const problems = inconsistencies(db.poolStats());
      seen.readings += 1;
      if (problems.length > 0) seen.inconsistent += 1;
      seen.example ||= problems.join('; ');
      const readings = read();
      if (readings.poolInUse > 0) seen.busy += 1;
      return readings;
    },
  };
}

/**
 * pooling.monitoring (a perf file's pooling.<id>.monitoring, with its operation as the call):
 * while 30 workers x 10 calls (the gate's own: getById reads) load the data layer, its pool
 * statistics (size, in use, idle, waiting, creating, min, max, backend pids) are read every 2 ms.
 * Afterwards the pool's report is compared with the server's own view (pg_stat_activity).
 * Criteria: statistics readable while connections are in use; every reading consistent
 * (in use + idle = size, one distinct pid per connection, size <= max); the server shows at least
 * as many 'perf-gate' connections to this database as the pool reports, including every pid it
 * reports; the pool never over its max and back to 0 in use.
 */
export function monitoringScenario(id: string, call: LoadCall): ScenarioDefinition {
  return {
  id,
  category: 'pooling',
  params: { workers: WORKERS, iterations: ITERATIONS },
  async run(ctx) {
    const iterations = ctx.scaled(ITERATIONS, 3);
    const watch = watchPool(ctx.db);
    ctx.db.sessions.resetPeak();
    ctx.step(`load of ${WORKERS} workers x ${iterations} reads, the pool read every 2 ms`);
    const load = await runPoolLoad(ctx.db, { concurrency: WORKERS, iterations, operation: call(ctx, ctx.db), signal: ctx.signal }, watch.read);
    ctx.step("comparing the pool's statistics with pg_stat_activity");
    const end = await settlePool(ctx.db);
    const onServer = await listServerPids(ctx.db);
    const missing = end.pids.filter((pid) => !onServer.includes(pid));
    const { seen } = watch;
    return {
      checks: [
        check('stats_read_under_load', seen.busy > 0, `${seen.busy} of ${seen.readings} readings with connections in use`, '> 0'),
        check('stats_consistent', seen.inconsistent === 0, seen.inconsistent === 0 ? 0 : `${seen.inconsistent}: ${seen.example}`, '0 inconsistent readings'),
        check('server_sees_pool_connections', onServer.length >= end.size, `${onServer.length} on server, pool size ${end.size}`, 'server >= pool size'),
        check('server_knows_every_pool_pid', missing.length === 0, missing.length, '0 pool pids unknown to the server'),
        ...poolChecks(end, load.peaks),
      ],
      metrics: scenarioMetrics(ctx.db, load.peaks, load),
      samples: load.samples,
      params: { workers: WORKERS, iterations },
    };
  },
};
}
